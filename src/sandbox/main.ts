// Entry for `npm run sandbox`: the sandbox alone on SANDBOX_PORT (default 3001) at 127.0.0.1.
// The only file in src/sandbox that reads process.env.
import { SANDBOX_CLIENT, SANDBOX_DEFAULT_HOST, SANDBOX_DEFAULT_PORT } from './defaults.js';
import { createSandbox, listen } from './index.js';

const raw = process.env['SANDBOX_PORT'];
const port = raw === undefined || raw === '' ? SANDBOX_DEFAULT_PORT : Number(raw);

if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`SANDBOX_PORT must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  process.exitCode = 1;
} else {
  try {
    const server = await listen(createSandbox(), { port, host: SANDBOX_DEFAULT_HOST });
    console.log(`Thingiverse sandbox at ${server.url} (consent page: ${server.url}/login/oauth/authorize?client_id=${SANDBOX_CLIENT.clientId})`);
    // For a parent program (the app in sandbox mode): one machine-readable line.
    console.log(`SANDBOX_READY ${JSON.stringify({ url: server.url })}`);
    // npm does not forward signals reliably; close sockets ourselves so the port frees at once.
    const shutdown = () => void server.close().then(() => process.exit(0));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, shutdown);
    // Started by the app: its stdin is a pipe from the app, which ends when the app is gone
    // however it died, so the sandbox never outlives it holding the port.
    if (process.env['SANDBOX_WATCH_PARENT'] === '1') process.stdin.on('end', shutdown).resume();
  } catch (err) {
    console.error(`Sandbox could not listen on ${SANDBOX_DEFAULT_HOST}:${port}: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
