// Stop accepting connections, let requests in flight finish, and after `graceMs` cut
// whatever is still open so a stuck upstream call cannot block shutdown forever.
//
// Keep-alive is the tricky part. Closing a connection that looks idle races with a client
// that is just sending its next request on it (the client sees ECONNRESET for a request the
// server never read). So connections are closed the polite way wherever possible: every
// answer given from the start of the shutdown says Connection: close, including answers to
// requests already in flight (trackInFlight), and Node then ends each socket after its answer.
import type http from 'node:http';
import net from 'node:net';

const inFlight = new WeakMap<http.Server, Set<http.ServerResponse>>();

/** Call once, right after creating the server, so closeGracefully can reach requests in flight. */
export function trackInFlight(server: http.Server): void {
  const active = new Set<http.ServerResponse>();
  inFlight.set(server, active);
  server.prependListener('request', (_req, res) => {
    active.add(res);
    res.once('close', () => active.delete(res));
  });
}

/** Resolves when every connection is closed; `cut` = requests still unanswered when the grace ran out. */
export function closeGracefully(server: http.Server, graceMs: number): Promise<{ cut: number }> {
  return new Promise((resolve) => {
    let cutCount = 0;
    const cut = setTimeout(() => {
      cutCount = inFlight.get(server)?.size ?? 0;
      server.closeAllConnections();
    }, graceMs).unref();
    const lastOne = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.shouldKeepAlive = false;
    };
    // Prepended: set before any handler can send headers.
    server.prependListener('request', lastOne);
    for (const res of inFlight.get(server) ?? []) if (!res.headersSent) res.shouldKeepAlive = false;
    // Not http.Server#close: since Node 19 it also drops every connection that looks idle at
    // once, and under load "idle" includes sockets whose next request is still unread in the
    // buffer; those requests would be reset. Stop listening only, and let each connection end
    // with its Connection: close answer. One that stays quiet ends at the server's
    // keepAliveTimeout (5 s), which clients honouring `Keep-Alive: timeout=5` beat by closing
    // first: the shutdown adds no reset that normal operation would not have.
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(cut);
      clearTimeout(hard);
      server.off('request', lastOne);
      resolve({ cut: cutCount });
    };
    // Belt and braces: the stop is bounded even if some socket never reports closing.
    const hard = setTimeout(finish, graceMs + 2000).unref();
    net.Server.prototype.close.call(server, finish);
  });
}
