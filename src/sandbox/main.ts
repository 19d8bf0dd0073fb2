// Entry for `npm run sandbox`: the sandbox alone at 127.0.0.1, on SANDBOX_PORT or --port (default
// 3001; 0 = any free port, printed), with the redirect URIs of SANDBOX_REDIRECT_URI registered.
// The only file in src/sandbox that reads process.env. Stops cleanly (exit 0) on SIGTERM or SIGINT,
// and, with SANDBOX_WATCH_PARENT=1, when its stdin (a pipe from the app that started it) ends.
import { SANDBOX_CLIENT, SANDBOX_DEFAULT_HOST } from './defaults.js';
import { createSandbox, listen } from './index.js';
import { parseMainConfig, startupLines } from './main-config.js';

const config = parseMainConfig(process.env, process.argv.slice(2));

if ('problems' in config) {
  for (const p of config.problems) console.error(`npm run sandbox: ${p}`);
  process.exitCode = 2;
} else {
  try {
    const sandbox = createSandbox({ clients: [{ ...SANDBOX_CLIENT, redirectUris: config.redirectUris }] });
    const server = await listen(sandbox, { port: config.port, host: SANDBOX_DEFAULT_HOST });
    // npm does not forward signals reliably; close sockets ourselves so the port frees at once.
    const stop = () => void server.close().then(() => process.exit(0));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
    // Started by the app: its stdin is a pipe from the app, which ends when the app is gone
    // however it died, so the sandbox never outlives it holding the port.
    if (config.watchParent) process.stdin.on('end', stop).resume();
    // Printed last: a parent that signals us as soon as it reads SANDBOX_READY must find the handlers in place.
    for (const line of startupLines(server.url, server.port, config.redirectUris)) console.log(line);
  } catch (err) {
    console.error(`Sandbox could not listen on ${SANDBOX_DEFAULT_HOST}:${config.port}: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
