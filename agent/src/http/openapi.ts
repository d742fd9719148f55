import {
  AddServersRequest,
  AddSshKeyRequest,
  NetworkSettings,
  NetworkView,
  SshKeyInfo,
  ApplyResponse,
  RemoveServerRequest,
  ChangeRequest,
  CommitResponse,
  EditResponse,
  ErrorBody,
  GenerationDetail,
  GenerationSummary,
  RemoveServiceRequest,
  RollbackRequest,
  ServerChangeRequest,
  ServerChangeResponse,
  ServiceRequest,
  StatusResponse,
  SystemInfo,
  CertificateInfo,
  TemplateServiceRequest,
  withInputDefaults,
  AuditQuery,
  Backup,
  ClusterStatus,
  EventQuery,
  LoginRequest,
  LogQuery,
  NewUser,
  PasswordChange,
  PasswordReset,
  RestoreRequest,
  SessionInfo,
  SetupRequest,
  StatsSeriesQuery,
  SudoRequest,
  PairRequest,
  ResolveRequest,
  NodeSettingsRequest,
  PairingCodeAnswer,
  ClusterNodes,
  PendingConfirm,
} from '@tandem/core';
import { z } from 'zod';
import type { Route } from './router.js';

const REQUESTS: Record<string, z.ZodType> = {
  'PUT /v1/config': ChangeRequest,
  'POST /v1/services': TemplateServiceRequest,
  'PUT /v1/services/:name/template': TemplateServiceRequest,
  'PUT /v1/services/:name': ServiceRequest,
  'POST /v1/services/:name/remove': RemoveServiceRequest,
  'POST /v1/rollback': RollbackRequest,
  'POST /v1/servers/:service/:server': ServerChangeRequest,
  'POST /v1/backends/:service/:backend/servers': AddServersRequest,
  'POST /v1/servers/:service/:server/remove': RemoveServerRequest,
  'POST /v1/auth/setup': SetupRequest,
  'POST /v1/auth/login': LoginRequest,
  'POST /v1/auth/sudo': SudoRequest,
  'POST /v1/auth/password': PasswordChange,
  'POST /v1/auth/users': NewUser,
  'POST /v1/auth/users/:name/password': PasswordReset,
  'POST /v1/restore': RestoreRequest,
  'POST /v1/cluster/pair': PairRequest,
  'POST /v1/cluster/resolve': ResolveRequest,
  'PUT /v1/cluster/nodes/:unit': NodeSettingsRequest,
  'POST /v1/system/ssh-keys': AddSshKeyRequest,
  'PUT /v1/system/network': NetworkSettings,
};
/** Query strings, parsed by the routes with these same schemas. */
const QUERIES: Record<string, z.ZodObject> = {
  'GET /v1/logs': LogQuery,
  'GET /v1/logs/export': LogQuery,
  'GET /v1/logs/stream': LogQuery,
  'GET /v1/events': EventQuery,
  'GET /v1/stats/series': StatsSeriesQuery,
  'GET /v1/audit': AuditQuery,
};
const RESPONSES: Record<string, z.ZodType> = {
  'GET /v1/status': StatusResponse,
  'GET /v1/system': SystemInfo,
  'GET /v1/console/certificate': CertificateInfo,
  'POST /v1/console/certificate': CertificateInfo,
  'PUT /v1/config': EditResponse,
  'POST /v1/services': EditResponse,
  'PUT /v1/services/:name/template': EditResponse,
  'PUT /v1/services/:name': EditResponse,
  'POST /v1/services/:name/remove': EditResponse,
  'POST /v1/rollback': CommitResponse,
  'POST /v1/apply': ApplyResponse,
  'GET /v1/generations': z.array(GenerationSummary),
  'GET /v1/generations/:n': GenerationDetail,
  'POST /v1/servers/:service/:server': ServerChangeResponse,
  'POST /v1/backends/:service/:backend/servers': ServerChangeResponse,
  'POST /v1/servers/:service/:server/remove': ServerChangeResponse,
  'GET /v1/auth/session': SessionInfo,
  'GET /v1/cluster': ClusterStatus,
  'POST /v1/cluster/handover': ClusterStatus,
  'POST /v1/cluster/resume': ClusterStatus,
  'POST /v1/cluster/pair': ClusterStatus,
  'POST /v1/cluster/resolve': ClusterStatus,
  'POST /v1/cluster/sync': ClusterStatus,
  'POST /v1/cluster/pairing-code': PairingCodeAnswer,
  'GET /v1/cluster/nodes': ClusterNodes,
  'POST /v1/apply/confirm': PendingConfirm,
  'POST /v1/cluster/nodes/:unit/confirm': PendingConfirm,
  'PUT /v1/cluster/nodes/:unit': ClusterNodes,
  'GET /v1/backup': Backup,
  'GET /v1/system/ssh-keys': z.array(SshKeyInfo),
  'POST /v1/system/ssh-keys': SshKeyInfo,
  'GET /v1/system/network': NetworkView,
  'PUT /v1/system/network': NetworkView,
  'POST /v1/system/network/confirm': PendingConfirm,
};

const schema = (s: z.ZodType, io: 'input' | 'output') =>
  withInputDefaults(z.toJSONSchema(s, { io, unrepresentable: 'any' }));

/** A query schema's fields as OpenAPI query parameters, each with its own JSON Schema. */
function queryParameters(q: z.ZodObject | undefined): unknown[] {
  if (!q) return [];
  const json = schema(q, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** OpenAPI 3.1 generated from the route table and the contract schemas of @tandem/core. */
export function buildOpenApi(routes: readonly Route[]): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const path = r.path.replace(/:([a-z]+)/g, '{$1}');
    const req = REQUESTS[key];
    const res = RESPONSES[key];
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      parameters: [
        ...[...r.path.matchAll(/:([a-z]+)/g)].map((m) => ({
          name: m[1],
          in: 'path',
          required: true,
          schema: { type: 'string' },
        })),
        ...queryParameters(QUERIES[key]),
      ],
      ...(req
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(req, 'input') } },
            },
          }
        : {}),
      responses: {
        200: {
          description: 'OK',
          content: r.text
            ? { 'text/plain': { schema: { type: 'string' } } }
            : { 'application/json': { schema: res ? schema(res, 'output') : {} } },
        },
        default: {
          description: 'A typed error',
          content: { 'application/json': { schema: schema(ErrorBody, 'output') } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem agent API',
      version: '1',
      description: 'HTTP+JSON over the agent unix socket.',
    },
    paths,
  };
}
