// A loopback HTTP server that answers only what an OpenAPI 3.0 document allows, and says so when anyone strays:
// every request and every response is checked against the spec, and each mismatch is kept as a violation.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ContractChecks } from './openapi-contract';
import { OperationIndex, type MountedDocument } from './openapi-operations';

export { readOpenApiDocument, type MountedDocument } from './openapi-operations';

export interface FakeRequest {
  /** `<document>:<operationId>`; absent when the path is not in the spec. */
  operation: string | undefined;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string | string[]>;
  /** Lower-case names; credential values are redacted (`authorization: 'Bearer [redacted]'`). */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text of other media types, or undefined when empty. */
  body: unknown;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/**
 * An error the next call of an operation receives instead of its handler's answer, or a stall before that answer.
 * A stalled call still takes effect afterwards, like a request the service processed but whose answer was lost.
 */
export type Fault = { status: number; retryAfterSeconds?: number; headers?: Record<string, string>; body?: unknown } | { hangMs: number };

export interface Violation {
  kind: 'request' | 'response' | 'unknown-path' | 'method-not-allowed' | 'unhandled' | 'handler-failed';
  method: string;
  path: string;
  operation: string | undefined;
  problems: string[];
}

/** The documents a fake serves, indexed, with their validators; compile once and share it between fakes. */
export interface OpenApiContract {
  readonly index: OperationIndex;
  readonly checks: ContractChecks;
}

export function compileOpenApiContract(documents: MountedDocument[]): OpenApiContract {
  const index = new OperationIndex(documents);
  return { index, checks: new ContractChecks(index) };
}

export interface OpenApiFakeOptions {
  contract: OpenApiContract;
  /** A body the spec accepts as an error response for `status`; used for rejections and faults. */
  errorBody: (status: number, message: string) => unknown;
  /** Keyed like `handle()`. */
  handlers?: Record<string, FakeHandler>;
}

export interface OpenApiFake {
  /** `http://127.0.0.1:<port>`, no trailing slash; document paths start below their base path. */
  readonly url: string;
  readonly requests: readonly FakeRequest[];
  readonly violations: readonly Violation[];
  /** `operation` is an operationId, `<document>:<operationId>` or `METHOD /path/template` as written in the spec. */
  handle(operation: string, handler: FakeHandler): void;
  /** Queues a fault for the next call of `operation`; queue several to fail several calls. */
  failNext(operation: string, fault: Fault): void;
  requestsTo(operation: string): FakeRequest[];
  close(): Promise<void>;
}

const redactedHeaders = new Set(['authorization', 'api-key', 'x-api-key', 'cookie']);

export async function startOpenApiFake(options: OpenApiFakeOptions): Promise<OpenApiFake> {
  const { index, checks } = options.contract;
  const handlers = new Map<string, FakeHandler>();
  const faults = new Map<string, Fault[]>();
  const requests: FakeRequest[] = [];
  const violations: Violation[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  const serve = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const rawBody = await readBody(incoming);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const method = (incoming.method ?? 'GET').toUpperCase();
    const headers = headersOf(incoming);
    const route = index.match(method, url.pathname);
    const recorded: FakeRequest = {
      operation: route.kind === 'operation' ? route.operation.key : undefined,
      method,
      path: url.pathname,
      pathParams: route.kind === 'operation' ? route.pathParams : {},
      query: queryOf(url.searchParams),
      headers: redact(headers),
      body: rawBody.length > 0 ? rawBody : undefined,
    };
    requests.push(recorded);
    const violate = (kind: Violation['kind'], problems: string[]) =>
      violations.push({ kind, method, path: url.pathname, operation: recorded.operation, problems });

    if (route.kind === 'unknown-path') {
      violate('unknown-path', [`${method} ${url.pathname} is not a path of the spec`]);
      return send(outgoing, { status: 404, body: options.errorBody(404, `${url.pathname} is not a path of the spec`) });
    }
    if (route.kind === 'method-not-allowed') {
      violate('method-not-allowed', [`${method} is not declared for ${url.pathname} (declared: ${route.allowed.join(', ')})`]);
      return send(outgoing, { status: 405, body: options.errorBody(405, `${method} is not allowed here`) });
    }

    const { operation } = route;
    const verdict = checks.checkRequest(operation, { query: url.searchParams, headers, pathParams: route.pathParams, rawBody });
    recorded.body = verdict.body;
    const answer = async (response: FakeResponse) => {
      if (response.delayMs) await sleep(response.delayMs);
      const problems = checks.checkResponse(operation, response.status, response.body);
      if (problems.length > 0) violate('response', problems);
      send(outgoing, response);
    };

    if (verdict.unauthorized.length > 0) {
      violate('request', verdict.unauthorized);
      return answer({ status: 401, body: options.errorBody(401, verdict.unauthorized.join('; ')) });
    }
    if (verdict.problems.length > 0) {
      violate('request', verdict.problems);
      return answer({ status: 400, body: options.errorBody(400, verdict.problems.join('; ')) });
    }

    const fault = faults.get(operation.key)?.shift();
    if (fault && 'hangMs' in fault) await sleep(fault.hangMs);
    else if (fault) return answer(faultResponse(fault, options.errorBody));

    const handler = handlers.get(operation.key);
    if (!handler) {
      violate('unhandled', [`no handler is registered for ${operation.key}`]);
      return answer({ status: 501, body: options.errorBody(501, `the fake has no handler for ${operation.key}`) });
    }
    try {
      return await answer(await handler(recorded));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      violate('handler-failed', [message]);
      return answer({ status: 500, body: options.errorBody(500, message) });
    }
  };

  const server = createServer((incoming, outgoing) => {
    serve(incoming, outgoing).catch((error: unknown) => {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake is not listening on a TCP port');

  const fake: OpenApiFake = {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    violations,
    handle(reference, handler) {
      handlers.set(index.resolve(reference).key, handler);
    },
    failNext(reference, fault) {
      const { key } = index.resolve(reference);
      faults.set(key, [...(faults.get(key) ?? []), fault]);
    },
    requestsTo(reference) {
      const { key } = index.resolve(reference);
      return requests.filter((request) => request.operation === key);
    },
    async close() {
      pendingTimers.forEach(clearTimeout);
      pendingTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  for (const [reference, handler] of Object.entries(options.handlers ?? {})) fake.handle(reference, handler);
  return fake;
}

function faultResponse(fault: Exclude<Fault, { hangMs: number }>, errorBody: OpenApiFakeOptions['errorBody']): FakeResponse {
  const retryAfter: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  return {
    status: fault.status,
    headers: { ...retryAfter, ...fault.headers },
    body: fault.body ?? errorBody(fault.status, `injected fault: HTTP ${fault.status}`),
  };
}

function send(outgoing: ServerResponse, response: FakeResponse): void {
  if (outgoing.destroyed || outgoing.writableEnded) return;
  const payload = response.body === undefined ? undefined : JSON.stringify(response.body);
  outgoing.writeHead(response.status, {
    ...(payload === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    ...response.headers,
  });
  outgoing.end(payload);
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(incoming: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
}

function redact(headers: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const scheme = /^(\w+) /.exec(value)?.[1];
    kept[name] = redactedHeaders.has(name) ? (scheme ? `${scheme} [redacted]` : '[redacted]') : value;
  }
  return kept;
}

function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}
