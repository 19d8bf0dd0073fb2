// Sandbox mode: start the fake Thingiverse next to the app, with the app's redirect URI
// registered, on 127.0.0.1 (the app is on localhost, so the OAuth hop is cross-site as
// with the real thing). This and server.ts are the only app files that touch the sandbox.
import type { Config } from './config.js';
import { createSandbox, listen } from './sandbox/index.js';
import { SANDBOX_CLIENT, SANDBOX_DEFAULT_HOST } from './sandbox/defaults.js';

export async function startSandboxForApp(config: Config) {
  const sandbox = createSandbox({
    clients: [{ ...SANDBOX_CLIENT, redirectUris: [config.redirectUri] }],
  });
  return listen(sandbox, { port: config.sandboxPort, host: SANDBOX_DEFAULT_HOST });
}
