// The website's OAuth endpoints (www.thingiverse.com/login/oauth/*): consent page, code exchange, tokeninfo.
import { Router, type Request, type Response } from 'express';
import { originOf, param, sendError } from './http.js';
import { TOKEN_DISPLAY_PATH } from './defaults.js';
import { randomHex, type SandboxState } from './state.js';
import type { RegisteredClient } from './types.js';
import { renderConsent } from './consent.js';

export interface OAuthDeps {
  state: SandboxState;
  now: () => number;
  codeTtlMs: number;
}

type Checked = { client: RegisteredClient; redirectUri: string } | { problem: string };

/** Unknown client or unregistered redirect_uri: never redirect (RFC 6749 4.1.2.1), show an error page. */
function checkClient(state: SandboxState, req: Request): Checked {
  const client = state.clients.get(param(req, 'client_id') ?? '');
  if (!client) return { problem: 'Unknown client_id: no app is registered with that id.' };
  const asked = param(req, 'redirect_uri');
  // Choice: exact string match against the registered list; absent means the first registered one.
  // The sandbox's own token-display page counts as registered for every client: it stands in
  // for "whatever callback the user's app has", for the paste-a-token way in.
  const ownDisplay = `${originOf(req)}${TOKEN_DISPLAY_PATH}`;
  if (asked !== undefined && asked !== ownDisplay && !client.redirectUris.includes(asked)) {
    return { problem: 'redirect_uri does not match a callback URL registered for this app.' };
  }
  return { client, redirectUri: asked ?? client.redirectUris[0]! };
}

/** Adds params to the redirect URI's fragment (token flow) or query (code flow); omits undefined ones. */
export function redirectWith(uri: string, params: Record<string, string | undefined>, fragment: boolean): string {
  const pairs = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (fragment) return `${uri.split('#')[0]}#${new URLSearchParams(pairs).toString()}`;
  const url = new URL(uri);
  for (const [k, v] of pairs) url.searchParams.set(k, v);
  return url.toString();
}

function badRequestPage(res: Response, problem: string): void {
  res.status(400).render('error', { title: 'Bad authorization request', message: problem });
}

export function createOAuthRouter({ state, now, codeTtlMs }: OAuthDeps): Router {
  const router = Router();

  // GET /login/oauth/authorize: the consent page ("Allow <app> to access your account?").
  // Choice: the visitor is already signed in; they pick which demo user they are.
  router.get('/login/oauth/authorize', (req, res) => {
    const checked = checkClient(state, req);
    if ('problem' in checked) return badRequestPage(res, checked.problem);
    const responseType = param(req, 'response_type') ?? 'code';
    const st = param(req, 'state');
    if (responseType !== 'code' && responseType !== 'token') {
      // Choice: this error goes in the query, since no valid response_type says where else to put it.
      return res.redirect(302, redirectWith(checked.redirectUri, { error: 'unsupported_response_type', state: st }, false));
    }
    renderConsent(res, state, { ...checked, responseType, state: st });
  });

  // POST /login/oauth/authorize: the consent form. Authorize sends the token (fragment) or a code (query)
  // back to the app; Deny sends error=access_denied the same way.
  router.post('/login/oauth/authorize', (req, res) => {
    const checked = checkClient(state, req);
    if ('problem' in checked) return badRequestPage(res, checked.problem);
    const responseType = param(req, 'response_type') ?? 'code';
    if (responseType !== 'code' && responseType !== 'token') return badRequestPage(res, 'Unsupported response_type.');
    const st = param(req, 'state');
    const fragment = responseType === 'token';
    const decision = param(req, 'decision');
    if (decision === 'deny') {
      return res.redirect(302, redirectWith(checked.redirectUri, { error: 'access_denied', state: st }, fragment));
    }
    const user = state.userByName(param(req, 'user') ?? '');
    // Choice: a missing decision or a user who is not a demo user is a 400 page, not a silent Deny.
    if (decision !== 'allow' || !user?.demo) return badRequestPage(res, 'Pick a demo user and press Authorize or Deny.');
    if (fragment) {
      // Choice: every authorization mints a new token; earlier tokens of the same user stay valid.
      const token = state.issueToken(checked.client.clientId, user.id);
      return res.redirect(302, redirectWith(checked.redirectUri, { access_token: token, token_type: 'bearer', state: st }, true));
    }
    const code = randomHex(20);
    state.codes.set(code, { clientId: checked.client.clientId, userId: user.id, redirectUri: checked.redirectUri, expiresAt: now() + codeTtlMs });
    res.redirect(302, redirectWith(checked.redirectUri, { code, state: st }, false));
  });

  // POST /login/oauth/access_token: code → token. Params may come as a form, a query string or JSON.
  router.post('/login/oauth/access_token', (req, res) => {
    const client = state.clients.get(param(req, 'client_id') ?? '');
    if (!client || param(req, 'client_secret') !== client.clientSecret) return void res.status(401).json({ error: 'invalid_client' });
    const grantType = param(req, 'grant_type');
    // Choice: grant_type is optional; any value other than authorization_code is refused.
    if (grantType !== undefined && grantType !== 'authorization_code') return void res.status(400).json({ error: 'unsupported_grant_type' });
    const codeValue = param(req, 'code') ?? '';
    const code = state.codes.get(codeValue);
    if (!code || code.clientId !== client.clientId) return void res.status(400).json({ error: 'invalid_grant' });
    // Choice: presenting a code burns it, even when the exchange then fails (expired, wrong redirect_uri).
    state.codes.delete(codeValue);
    const redirectUri = param(req, 'redirect_uri');
    if (now() >= code.expiresAt || (redirectUri !== undefined && redirectUri !== code.redirectUri)) {
      return void res.status(400).json({ error: 'invalid_grant' });
    }
    const token = state.issueToken(client.clientId, code.userId);
    // Choice: token_type is lowercase `bearer` everywhere (the real casing is unknown).
    if ((req.get('accept') ?? '').includes('application/json')) {
      return void res.json({ access_token: token, token_type: 'bearer' });
    }
    res.type('application/x-www-form-urlencoded').send(new URLSearchParams({ access_token: token, token_type: 'bearer' }).toString());
  });

  // POST /login/oauth/tokeninfo: which app a token belongs to, and whose it is.
  router.post('/login/oauth/tokeninfo', (req, res) => {
    const info = state.tokens.get(param(req, 'access_token') ?? '');
    // Choice: 400 for an invalid token (the real status is unknown); App Tokens report user_id "0".
    if (!info) return sendError(res, 400, 'invalid token');
    res.json({ audience: info.clientId, user_id: String(info.userId ?? 0) });
  });

  return router;
}
