// Stop accepting connections, let requests in flight finish, and after `graceMs` cut
// whatever is still open so a stuck upstream call cannot block shutdown forever.
import type http from 'node:http';

export function closeGracefully(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    // Keep-alive sockets with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  });
}
