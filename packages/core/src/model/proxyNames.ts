/**
 * The names sections get in haproxy.cfg. Kept in one place because the agent's Runtime API calls
 * (`set server web.app/web1 state drain`) and the stats sampler must compute the same names.
 */
export const ADMIN_PROXY = 'tandem-admin';
export const ADMIN_USERLIST = 'tandem-admin-users';
export const RESERVED_PREFIX = 'tandem-';

export function frontendName(service: string): string {
  return service;
}

export function backendName(service: string, backend: string): string {
  return `${service}.${backend}`;
}

export function hostMapFile(mapDir: string, service: string): string {
  return `${mapDir.replace(/\/$/, '')}/${service}.hosts.map`;
}

export function certificateFile(certDir: string, certificate: string): string {
  return `${certDir.replace(/\/$/, '')}/${certificate}.pem`;
}

/**
 * The map of pending ACME HTTP-01 challenges (token → key authorization), shared by every HTTP
 * frontend: the agent adds and removes entries through the Runtime API while a certificate is
 * being issued, and HAProxy answers the CA's request itself.
 */
export function acmeChallengeMapFile(mapDir: string): string {
  return `${mapDir.replace(/\/$/, '')}/tandem-acme-challenges.map`;
}
