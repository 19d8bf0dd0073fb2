// A tiny cookie-carrying HTTP client for virtual users (Node's fetch, no redirects followed),
// and the counters every request feeds.
export interface Tally {
  requests: number;
  byStatus: Map<string, number>;
  latencies: number[];
  /** Connection-level failures (no HTTP answer), by code. */
  neterr: Map<string, number>;
}

export const tally: Tally = { requests: 0, byStatus: new Map(), latencies: [], neterr: new Map() };

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export interface Answer {
  status: number;
  text: string;
  setCookie: string[];
  location: string | null;
}

export class NetError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export async function request(url: string, init: { method?: string; cookie?: string; json?: boolean; form?: Record<string, string> | [string, string][]; body?: string }): Promise<Answer> {
  const headers: Record<string, string> = { accept: init.json ? 'application/json' : 'text/html' };
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined = init.body;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const t0 = performance.now();
  tally.requests += 1;
  try {
    const res = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    tally.latencies.push(performance.now() - t0);
    bump(tally.byStatus, String(res.status));
    return { status: res.status, text, setCookie: res.headers.getSetCookie(), location: res.headers.get('location') };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? (err as Error).name ?? 'error';
    bump(tally.neterr, code);
    throw new NetError(code);
  }
}
