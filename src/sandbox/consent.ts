// Renders the consent page with a CSP that lets its form redirect back to the app.
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import type { SandboxState } from './state.js';
import type { RegisteredClient } from './types.js';

export interface ConsentRequest {
  client: RegisteredClient;
  redirectUri: string;
  responseType: 'code' | 'token';
  state: string | undefined;
}

/** The redirect URI's origin, or undefined for URIs without one (e.g. urn:ietf:wg:oauth:2.0:oob). */
function originOf(uri: string): string | undefined {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function renderConsent(res: Response, state: SandboxState, req: ConsentRequest): void {
  const nonce = randomBytes(16).toString('base64');
  // Chromium applies form-action to the redirect that follows a form POST, so the app's origin must be
  // listed too, or the browser blocks the trip back to the callback.
  const formAction = ["'self'", originOf(req.redirectUri)].filter(Boolean).join(' ');
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'", `style-src 'nonce-${nonce}'`, "img-src 'self'", `form-action ${formAction}`,
      "frame-ancestors 'none'", "base-uri 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  const users = state.seed.users
    .filter((u) => u.demo)
    .map((u) => ({ name: u.name, likeCount: state.likedIds(u.id).length.toLocaleString('en-US') }));
  res.render('consent', {
    nonce, users,
    appName: req.client.name,
    fields: {
      client_id: req.client.clientId, redirect_uri: req.redirectUri,
      response_type: req.responseType, ...(req.state === undefined ? {} : { state: req.state }),
    },
  });
}
