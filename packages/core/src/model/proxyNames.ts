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
