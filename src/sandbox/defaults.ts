// The sandbox's defaults. Its registered client and address are sandbox mode's settings,
// kept with the app's configuration (src/config-sandbox.ts) so both programs say them once.
export { SANDBOX_CLIENT, SANDBOX_DEFAULT_PORT, SANDBOX_DEFAULT_HOST, TOKEN_DISPLAY_PATH } from '../config-sandbox.js';

export const RATE_LIMIT_TEXT =
  'You can only send 300 requests per 5 minutes. Please check https://www.thingiverse.com/developers/getting-started';
