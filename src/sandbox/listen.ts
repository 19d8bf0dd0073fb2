// Starts a sandbox on a real port. close() also destroys open sockets (keep-alive, hung requests),
// so tests and scripts never wait on a connection the sandbox was told to leave hanging.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SANDBOX_DEFAULT_HOST } from './defaults.js';
import type { Sandbox } from './types.js';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(
  sandbox: Pick<Sandbox, 'app'>,
  { port = 0, host = SANDBOX_DEFAULT_HOST }: { port?: number; host?: string } = {},
): Promise<Listening> {
  const server = createServer(sandbox.app);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
