import { randomUUID } from 'node:crypto';
import { app, type HttpMethod, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { z } from 'zod';
import { isAllowed, permissionMatrix, type Permission } from '@asep/shared/access/matrix';
import { acceptedCorrelationId } from '@asep/shared/audit/change-key';
import { getServices, type Services } from '../composition/services';
import type { Principal } from '../identity/principal';
import { ensureTenant, rememberUser } from '../tenants/directory';
import { badRequest, forbidden, HttpProblem, problemResponse, unauthorized, validationProblem } from './problem';
import { inScope, log, scopeToTenant, traced } from '../telemetry/telemetry';

export interface ApiContext<TBody, TQuery> {
  principal: Principal;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
  services: Services;
  durable: df.DurableClient;
  request: HttpRequest;
  /** Ties together every audit event and log line this request causes: the client's `x-correlation-id` when it sent a plain one. Recorded, never trusted. */
  correlationId: string;
  /** Issued by the server for this request alone: what audit idempotency keys are built from (see `changeKey`). */
  requestId: string;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface ApiOptions<TBody, TQuery> {
  route: string;
  methods: HttpMethod[];
  permission: Permission;
  body?: z.ZodType<TBody>;
  /** Accept a raw text body of this content type (e.g. text/csv) instead of JSON. */
  textBody?: string;
  /** Accept a file of one of these content types (CSV, an Excel workbook, ...) as raw bytes. */
  fileBody?: string[];
  query?: z.ZodType<TQuery>;
  /** Required when the route has `{parameters}`: each is checked by its id schema before the handler runs. */
  params?: z.ZodType<Record<string, string>>;
  maxBodyBytes?: number;
}

const defaultMaxBodyBytes = 1_000_000;

/** Every authenticated route and the permission it needs, for the role-matrix test and `GET /api/v1/me`. */
export const apiRoutes: { name: string; route: string; methods: HttpMethod[]; permission: Permission }[] = [];

/**
 * Registers an authenticated `/api/v1` route. The handler receives a validated principal, a body and
 * query already checked against their schemas, and the durable client; every failure becomes
 * problem+json, and nothing unexpected leaks a stack trace.
 */
export function registerApi<TBody = undefined, TQuery = Record<string, string>>(
  name: string,
  options: ApiOptions<TBody, TQuery>,
  handler: (context: ApiContext<TBody, TQuery>) => Promise<ApiResult>,
): void {
  requireParamsSchema(name, options.route, options.params);
  apiRoutes.push({ name, route: options.route, methods: options.methods, permission: options.permission });
  app.http(name, {
    route: options.route,
    methods: options.methods,
    authLevel: 'anonymous',
    extraInputs: [df.input.durableClient()],
    handler: (request, invocation) => {
      const requestId = randomUUID();
      const correlationId = acceptedCorrelationId(request.headers.get('x-correlation-id')) ?? requestId;
      return inScope({ correlationId }, () =>
        traced(`${request.method} /api/${options.route}`, { 'http.route': options.route }, async () => {
          try {
            const services = await getServices();
            const principal = await authenticate(request, services);
            scopeToTenant(principal.tenantId);
            if (!isAllowed(principal.roles, options.permission)) {
              throw forbidden(
                `This needs one of the roles ${permissionMatrix[options.permission].join(', ')}; you have ${principal.roles.join(', ') || 'none'}.`,
              );
            }
            const params = parse(options.params, request.params, 'path');
            const body = await readBody(request, options);
            const query = parse(options.query, Object.fromEntries(request.query.entries()), 'query string') as TQuery;
            const result = await handler({
              principal,
              body,
              query,
              params,
              services,
              durable: df.getClient(invocation),
              request,
              correlationId,
              requestId,
            });
            return respond(result, correlationId);
          } catch (error) {
            return failure(error, correlationId, request.url);
          }
        }),
      );
    },
  });
}

/** A route's path parameters reach the store, so none may go unchecked: registering one without a schema fails at start-up. */
function requireParamsSchema(name: string, route: string, schema: unknown): void {
  if (/\{\w+\??(?::[^}]*)?\}/.test(route) && !schema) throw new Error(`Route ${name} (${route}) has path parameters but no schema for them.`);
}

/** Registers an unauthenticated route (health, dev-only sandbox routes, webhooks that verify themselves). */
export function registerOpen(
  name: string,
  options: { route: string; methods: HttpMethod[]; durable?: boolean; params?: z.ZodType<Record<string, string>> },
  handler: (
    request: HttpRequest,
    services: Services,
    durable: df.DurableClient | undefined,
    invocation: InvocationContext,
  ) => Promise<ApiResult | HttpResponseInit>,
): void {
  requireParamsSchema(name, options.route, options.params);
  app.http(name, {
    route: options.route,
    methods: options.methods,
    authLevel: 'anonymous',
    extraInputs: options.durable ? [df.input.durableClient()] : [],
    handler: (request, invocation) => {
      const correlationId = acceptedCorrelationId(request.headers.get('x-correlation-id')) ?? randomUUID();
      return inScope({ correlationId }, () =>
        traced(`${request.method} /api/${options.route}`, { 'http.route': options.route }, async () => {
          try {
            const services = await getServices();
            parse(options.params, request.params, 'path');
            const result = await handler(request, services, options.durable ? df.getClient(invocation) : undefined, invocation);
            return 'jsonBody' in result || typeof (result as HttpResponseInit).body === 'string'
              ? (result as HttpResponseInit)
              : respond(result as ApiResult, correlationId);
          } catch (error) {
            return failure(error, correlationId, request.url);
          }
        }),
      );
    },
  });
}

export async function readJson<T>(request: HttpRequest, schema: z.ZodType<T>, maxBytes = defaultMaxBodyBytes): Promise<T> {
  const text = await readText(request, maxBytes);
  return parse(schema, parseJson(text), 'request body');
}

async function authenticate(request: HttpRequest, services: Services): Promise<Principal> {
  const header = request.headers.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw unauthorized('Send an Authorization: Bearer <token> header.');
  const principal = await services.tokens.validate(token);
  await ensureTenant(services, principal.tenantId);
  await rememberUser(services, principal);
  return principal;
}

async function readBody<TBody>(request: HttpRequest, options: ApiOptions<TBody, unknown>): Promise<TBody> {
  if (options.fileBody) return (await readFile(request, options.fileBody, options.maxBodyBytes ?? defaultMaxBodyBytes)) as TBody;
  if (!options.body && !options.textBody) return undefined as TBody;
  const text = await readText(request, options.maxBodyBytes ?? defaultMaxBodyBytes);
  if (options.textBody) {
    const contentType = request.headers.get('content-type') ?? '';
    if (!contentType.startsWith(options.textBody)) throw new HttpProblem(415, 'Unsupported media type', `Send the body as ${options.textBody}.`);
    return text as TBody;
  }
  return parse(options.body, text.trim() === '' ? {} : parseJson(text), 'request body') as TBody;
}

async function readText(request: HttpRequest, maxBytes: number): Promise<string> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new HttpProblem(413, 'Payload too large', `The body may be at most ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new HttpProblem(413, 'Payload too large', `The body may be at most ${maxBytes} bytes.`);
  return text;
}

async function readFile(request: HttpRequest, contentTypes: string[], maxBytes: number): Promise<Buffer> {
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
  if (!contentTypes.some((type) => contentType.startsWith(type))) {
    throw new HttpProblem(415, 'Unsupported media type', `Send the file as one of ${contentTypes.join(', ')}.`);
  }
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > maxBytes) throw new HttpProblem(413, 'Payload too large', `The file may be at most ${maxBytes} bytes.`);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw new HttpProblem(413, 'Payload too large', `The file may be at most ${maxBytes} bytes.`);
  return bytes;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}

function respond(result: ApiResult, correlationId: string): HttpResponseInit {
  const binary = result.body instanceof Uint8Array;
  return {
    status: result.status ?? 200,
    headers: {
      'x-correlation-id': correlationId,
      ...(result.body !== undefined && !binary ? { 'content-type': 'application/json' } : {}),
      ...result.headers,
    },
    ...(result.body !== undefined ? { body: binary ? (result.body as Uint8Array) : JSON.stringify(result.body) } : {}),
  };
}

function failure(error: unknown, correlationId: string, url: string): HttpResponseInit {
  if (error instanceof HttpProblem) return problemResponse(error, new URL(url).pathname);
  log.error('request failed', { path: new URL(url).pathname, error: (error as Error).stack ?? String(error) });
  return problemResponse(
    new HttpProblem(
      500,
      'Internal error',
      `Something went wrong on our side; nothing was half-written. Quote correlation id ${correlationId} when reporting it.`,
    ),
    new URL(url).pathname,
  );
}
