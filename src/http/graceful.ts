// Stop accepting connections, let requests in flight finish, and after `graceMs` cut
// whatever is still open so a stuck upstream call cannot block shutdown forever.
import type http from 'node:http';

export function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    // A keep-alive socket whose request finishes after close() stays open, idle, and would
    // hold close() until the grace period ends: keep closing idle sockets as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 50).unref();
    server.close(() => {
      clearTimeout(cut);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
