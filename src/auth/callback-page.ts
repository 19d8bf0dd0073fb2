// Headers and messages for the OAuth callback page. The page is static: its script reads
// the fragment, so the server never sees the token in a URL, and the strict CSP below
// leaves no room for anything but our own script and a POST to our own origin (O7, H2).
import type { Response } from 'express';

/** `imgSrc`: the CLI's loopback pages name an empty `data:` icon, so the browser asks for
 * nothing after the login has ended and the listener is gone. */
export function callbackPageHeaders(res: Response, imgSrc = "'self'"): void {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
  res.set(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src ${imgSrc}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  );
}

const DENIALS: Record<string, string> = {
  access_denied: 'You chose not to allow this app to use your Thingiverse account. Nothing was changed.',
  unsupported_response_type: 'Thingiverse did not accept the kind of login this app asked for.',
  invalid_request: 'Thingiverse did not accept the login request.',
};

/** A fixed message chosen by key: text from the URL is never shown. */
export function denialMessage(error: unknown): string {
  return (typeof error === 'string' && DENIALS[error]) || 'Thingiverse reported a problem with the login. Please try again.';
}
