// Sandbox mode's settings, part of the app's configuration: the client the app uses against
// the local fake Thingiverse and where that runs. Constants only, no imports: the sandbox
// program registers the same client by default, so both sides read it from here.
// They are sandbox-only values and worthless against thingiverse.com.
export const SANDBOX_CLIENT = {
  name: 'thingiverse-likes (sandbox)',
  clientId: '0a1b2c3d4e5f60718293',
  clientSecret: 'a3f1c9e2b7d45e8f0c6a1b2d3e4f5a6b',
  appToken: '7c0ffee5a11d0c5b1ade5eedfacade00',
  redirectUris: ['http://localhost:3000/callback'],
} as const;

export const SANDBOX_DEFAULT_PORT = 3001;
/** The sandbox is addressed by IP and the app as localhost, so the OAuth round trip is cross-site. */
export const SANDBOX_DEFAULT_HOST = '127.0.0.1';
/** Sandbox page where a token is shown in the address bar (the tutorial's copy-paste way). */
export const TOKEN_DISPLAY_PATH = '/token-display';
