// The one login handshake for tests and scripts: what public/callback.js does after the
// implicit flow, with a token minted by the sandbox instead of the consent page. GET /login
// for a one-time state (and the pre-login session), then POST /auth/token with both.
// Plain fetch, so the load and bench scripts use it as the tests do.

/** The session cookie ("tvl.sid=…", or "__Host-tvl.sid=…" over https) from a response. */
export function sessionCookieOf(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => /^(__Host-)?tvl\.sid=/.test(c))?.split(';')[0];
}

/** Logs a token in at the app; returns the logged-in session cookie. */
export async function logInWithToken(appUrl: string, token: string): Promise<string> {
  const start = await fetch(`${appUrl}/login`, { redirect: 'manual' });
  const pre = sessionCookieOf(start);
  const location = start.headers.get('location');
  if (start.status !== 302 || !pre || !location) throw new Error(`GET /login answered ${start.status}`);
  const state = new URL(location).searchParams.get('state');
  const done = await fetch(`${appUrl}/auth/token`, {
    method: 'POST',
    headers: { cookie: pre, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ access_token: token, state }),
  });
  const cookie = sessionCookieOf(done);
  if (done.status !== 200 || !cookie) throw new Error(`POST /auth/token answered ${done.status}`);
  return cookie;
}

/** A user token from a running sandbox's control API (tests in another process, scripts). */
export async function sandboxToken(sandboxUrl: string, username: string): Promise<string> {
  const res = await fetch(`${sandboxUrl}/__sandbox/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username }),
  });
  if (res.status !== 201) throw new Error(`token for ${username}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
