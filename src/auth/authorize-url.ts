// The only absolute URL we ever redirect to (O6): the configured authorize endpoint with
// our fixed redirect URI (O5), never built from request headers.
import type { Config } from '../config.js';

export function authorizeUrl(config: Config, state: string): string {
  const url = new URL('/login/oauth/authorize', config.thingiverse.authUrl);
  url.searchParams.set('client_id', config.thingiverse.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('response_type', config.flow === 'code' ? 'code' : 'token');
  url.searchParams.set('state', state);
  return url.toString();
}
