// helmet with its defaults kept (H1), tightened where this app allows: no framing, and
// images only from ourselves plus the one image host in use (the sandbox, or
// Thingiverse's CDNs). HTTPS-only directives only when we are served over https (H3).
import helmet from 'helmet';
import type { Config } from '../config.js';

export function imageOrigins(config: Config): string[] {
  return config.mode === 'sandbox'
    ? [new URL(config.thingiverse.apiUrl).origin]
    : ['https://cdn.thingiverse.com', 'https://resize.thingiverse.com'];
}

export function securityHeaders(config: Config) {
  const https = config.secureCookies;
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:', ...imageOrigins(config)],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    strictTransportSecurity: https ? { maxAge: 31536000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
