import type { NextConfig } from 'next';

/**
 * The console's Next.js settings. Security headers (CSP with a per-request nonce, HSTS, frame
 * ancestors, nosniff) are set by server/server.ts for every response, pages and API alike.
 */
const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};
export default config;
