/**
 * The console's Next.js settings. Security headers (CSP with a per-request nonce, HSTS, frame
 * ancestors, nosniff) are set by server/server.ts for every response, pages and API alike.
 * Plain JavaScript on purpose: a TypeScript config is compiled by Next's SWC at every start,
 * and the appliance ships without the compiler (image-build/stage-app.sh).
 *
 * @type {import('next').NextConfig}
 */
const config = {
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};
export default config;
