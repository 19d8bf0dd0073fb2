// The CLI's one reader of the environment (the app's is src/config.ts). Everything else
// gets these values passed in, so tests and --flags override them the same way.
export interface CliEnv {
  token?: string;
  clientId?: string;
  apiUrl?: string;
  siteUrl?: string;
  /** The app's PUBLIC_URL: its /callback is the registered redirect the loopback login serves. */
  publicUrl?: string;
  noColor: boolean;
}

export function readEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  return {
    token: get('THINGIVERSE_TOKEN'),
    clientId: get('THINGIVERSE_CLIENT_ID'),
    apiUrl: get('THINGIVERSE_API_URL'),
    siteUrl: get('THINGIVERSE_SITE_URL'),
    publicUrl: get('PUBLIC_URL'),
    // https://no-color.org: any non-empty value.
    noColor: Boolean(env['NO_COLOR']),
  };
}
