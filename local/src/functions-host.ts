import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Module, { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { LocalDurableHost } from './durable-host';
import { InstanceExistsError, InstanceNotFoundError } from './durable-host';
import type { LocalTimers } from './local-timers';

/**
 * Hosts the Functions app's registrations on a machine without the Azure Functions host.
 *
 * In Azure the worker injects `@azure/functions-core`, through which every `app.http`,
 * `df.app.orchestration` and `df.app.activity` call hands the host its bindings and handler. Outside
 * the host, `@azure/functions` would drop those calls, so this module puts a stand-in for that
 * injected module in place first: the registrations then arrive here, unchanged, and run against the
 * local HTTP server and durable host. This relies on an internal worker contract; versions are pinned
 * and `functions-host.test.ts` covers it.
 */

interface CoreBinding {
  type: string;
  direction: 'in' | 'out';
  route?: string;
  methods?: string[];
  [setting: string]: unknown;
}

interface Registration {
  name: string;
  bindings: Record<string, CoreBinding>;
  handler: (...args: unknown[]) => Promise<unknown>;
}

const registrations: Registration[] = [];

let standInInstalled = false;

/** Must run before `@azure/functions` is first imported. */
export function installFunctionsCoreStandIn(): void {
  if (standInInstalled) return;
  standInInstalled = true;
  const standIn = {
    version: '3.10.1',
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
    log: () => undefined,
    registerFunction(metadata: { name: string; bindings: Record<string, CoreBinding> }, handler: Registration['handler']) {
      registrations.push({ name: metadata.name, bindings: metadata.bindings, handler });
      return { dispose: () => undefined };
    },
  };
  const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function load(request: string, ...rest: unknown[]) {
    return request === '@azure/functions-core' ? standIn : originalLoad.call(this, request, ...rest);
  };
}

export function registeredFunctions(): readonly Registration[] {
  return registrations;
}

interface HttpRoute {
  registration: Registration;
  methods: string[];
  pattern: RegExp;
  paramNames: string[];
  literalSegments: number;
}

function compileRoute(registration: Registration, binding: CoreBinding): HttpRoute {
  const template = (binding.route ?? registration.name).replace(/^\/+/, '');
  const paramNames: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\?)?(?::[^}]*)?\}$/.exec(segment);
      if (!param) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      paramNames.push(param[1]!);
      return param[2] ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  return {
    registration,
    methods: (binding.methods ?? ['GET', 'POST']).map((method) => method.toUpperCase()),
    pattern: new RegExp(`^/api${source}/?$`, 'i'),
    paramNames,
    literalSegments: template.split('/').filter((segment) => !segment.startsWith('{')).length,
  };
}

function triggerOf(registration: Registration): CoreBinding | undefined {
  return Object.values(registration.bindings).find((binding) => /trigger$/i.test(binding.type));
}

export interface StaticMount {
  prefix: string;
  handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

export class LocalFunctionsHost {
  private server?: Server;
  private routes: HttpRoute[] = [];
  private port = 0;

  constructor(
    private readonly durable: LocalDurableHost,
    private readonly log: (line: string) => void,
    private readonly staticMounts: StaticMount[] = [],
    /** Runs a function's invocation under its name, so what it costs can be attributed to it. */
    private readonly within: <T>(site: string, work: () => T) => T = (_site, work) => work(),
  ) {}

  /** Binds every registration made so far: HTTP triggers to routes, orchestrators and activities to the durable host. */
  bindRegistrations(): void {
    this.routes = [];
    for (const registration of registrations) {
      const trigger = triggerOf(registration);
      switch (trigger?.type) {
        case 'httpTrigger':
          this.routes.push(compileRoute(registration, trigger));
          break;
        case 'orchestrationTrigger':
          this.durable.registerOrchestrator(
            registration.name,
            (input, context) => registration.handler(input, this.contextFor(registration, context.invocationId)) as never,
          );
          break;
        case 'activityTrigger':
          this.durable.registerActivity(registration.name, (input) =>
            this.within(registration.name, () => registration.handler(input, this.contextFor(registration))),
          );
          break;
      }
    }
    // Literal segments win over parameters, as in the Functions host (`prospects/import` before `prospects/{id}`).
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments || a.paramNames.length - b.paramNames.length);
  }

  /** Hands the named timer triggers to `timers`, which runs them on their schedules off the suite's clock. */
  bindTimers(timers: LocalTimers, names: readonly string[]): void {
    for (const name of names) {
      const registration = registrations.find((candidate) => candidate.name === name);
      const trigger = registration && triggerOf(registration);
      if (!registration || trigger?.type !== 'timerTrigger') throw new Error(`No timer trigger named ${name} is registered.`);
      timers.add(name, String(trigger.schedule), (timer) => this.within(name, () => registration.handler(timer, this.contextFor(registration))));
    }
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.routeDurableClient();
    return this.port;
  }

  async close(): Promise<void> {
    this.forgetDurableClient();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private contextFor(registration: Registration, invocationId: string = randomUUID()): InvocationContext {
    const extraInputs = Object.entries(registration.bindings)
      .filter(([, binding]) => binding.direction === 'in' && !/trigger$/i.test(binding.type))
      .map(([name, binding]) => ({ ...binding, name }));
    const context = new InvocationContext({
      functionName: registration.name,
      invocationId,
      options: { trigger: { ...triggerOf(registration)!, name: 'trigger' } as never, extraInputs: extraInputs as never, extraOutputs: [] },
      logHandler: (level, ...args) => {
        if (level === 'error' || level === 'warning' || level === 'critical') this.log(`${registration.name}: ${args.map(String).join(' ')}`);
      },
    });
    for (const input of extraInputs) {
      if (input.type === 'durableClient') context.extraInputs.set(input.name, this.durableClientData());
    }
    return context;
  }

  private durableClientData() {
    return {
      taskHubName: 'local',
      creationUrls: {},
      managementUrls: {},
      baseUrl: `${this.baseUrl}/runtime/webhooks/durabletask`,
      requiredQueryStringParameters: '',
      rpcBaseUrl: `${this.baseUrl}/runtime/webhooks/durabletask/`,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      if (url.pathname.startsWith('/runtime/webhooks/durabletask/')) return await this.handleDurableRpc(req, res, url);
      const mount = this.staticMounts.find((candidate) => url.pathname === candidate.prefix || url.pathname.startsWith(`${candidate.prefix}/`));
      if (mount) {
        req.url = url.pathname.slice(mount.prefix.length) + url.search || '/';
        return mount.handler(req, res, () =>
          sendJson(res, 404, { title: 'Not found', status: 404, detail: `${url.pathname} does not exist.` }, true),
        );
      }
      const matching = this.routes.filter((route) => route.pattern.test(url.pathname));
      const route = matching.find((candidate) => candidate.methods.includes(req.method ?? 'GET'));
      if (!route) {
        return matching.length > 0
          ? sendJson(res, 405, { title: 'Method not allowed', status: 405, detail: `${req.method} is not allowed on ${url.pathname}.` }, true)
          : sendJson(res, 404, { title: 'Not found', status: 404, detail: `No route matches ${url.pathname}.` }, true);
      }
      const match = route.pattern.exec(url.pathname)!;
      const decoded = route.paramNames.map((name, index) => [name, decodePathSegment(match[index + 1] ?? '')] as const);
      const undecodable = decoded.find(([, value]) => value === undefined);
      if (undecodable) {
        // As the Functions host does: a segment that is not percent-encoded UTF-8 never reaches the function.
        return sendJson(
          res,
          400,
          {
            title: 'Bad request',
            status: 400,
            detail: `The path parameter ${undecodable[0]} is not valid percent-encoded UTF-8.`,
            errors: [{ field: undecodable[0], message: 'not valid percent-encoded UTF-8' }],
          },
          true,
        );
      }
      const params = Object.fromEntries(decoded.filter(([, value]) => value)) as Record<string, string>;
      const body = await readBody(req);
      const request = new HttpRequest({
        method: req.method ?? 'GET',
        url: url.href,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
        ),
        query: Object.fromEntries(url.searchParams),
        params,
        ...(body.length > 0 ? { body: { bytes: body } } : {}),
      });
      const result = (await this.within(route.registration.name, () => route.registration.handler(request, this.contextFor(route.registration)))) as
        HttpResponseInit | HttpResponse | undefined;
      await writeResponse(res, result);
    } catch (error) {
      this.log(`host: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { title: 'Internal error', status: 500, detail: 'The local host failed to run the function.' }, true);
    }
  }

  /** The Durable Functions extension's HTTP API, as far as the durable-functions client uses it. */
  private async handleDurableRpc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { status, body } = await this.durableRpc(req.method ?? 'GET', url, (await readBody(req)).toString('utf8'));
    sendJson(res, status, body);
  }

  /** One call of that API: what the extension answers, status and JSON body. */
  private async durableRpc(method: string, url: URL, body: string): Promise<{ status: number; body: unknown }> {
    const path = url.pathname
      .slice('/runtime/webhooks/durabletask/'.length)
      .split('/')
      .map((segment) => decodePathSegment(segment) ?? segment);
    const input = body ? (JSON.parse(body) as unknown) : undefined;
    try {
      if (method === 'POST' && path[0] === 'orchestrators') {
        const id = await this.durable.start(path[1]!, path[2], input);
        return { status: 202, body: { id } };
      }
      if (path[0] === 'instances' && path[1]) {
        if (method === 'GET') {
          const status = await this.durable.status(path[1]);
          return status ? { status: 200, body: status } : { status: 404, body: { message: 'not found' } };
        }
        if (method === 'POST' && path[2] === 'raiseEvent') {
          await this.durable.raiseEvent(path[1], path[3]!, input);
          return { status: 202, body: {} };
        }
        if (method === 'POST' && path[2] === 'terminate') {
          await this.durable.terminate(path[1], url.searchParams.get('reason') ?? 'terminated');
          return { status: 202, body: {} };
        }
      }
      return { status: 404, body: { message: `unsupported durable operation ${method} ${url.pathname}` } };
    } catch (error) {
      if (error instanceof InstanceNotFoundError) return { status: 404, body: { message: error.message } };
      if (error instanceof InstanceExistsError) return { status: 409, body: { message: error.message } };
      throw error;
    }
  }

  /**
   * The durable-functions client calls the Durable extension over HTTP (axios, at `rpcBaseUrl`). In Azure the
   * extension is the Functions host, another process; here it is the durable host on this very thread, so its
   * calls are handed to it directly rather than through a loopback socket and this server's HTTP parsing, which
   * under load queued every start (the Graph webhook's 202 among them) behind the triage traffic. The client's
   * own work (axios, its request and answer) is unchanged; every other axios request goes out as before.
   */
  private routeDurableClient(): void {
    durableRpcHosts.set(`${this.baseUrl}/runtime/webhooks/durabletask/`, this);
    if (durableAdapterInstalled) return;
    durableAdapterInstalled = true;
    // The axios durable-functions itself loads, so its clients pick the adapter up from the defaults.
    const axios = createRequire(require.resolve('durable-functions'))('axios') as AxiosLike;
    const fallback = axios.getAdapter(axios.defaults.adapter);
    axios.defaults.adapter = (async (config: AxiosRequest) => {
      const url = new URL(config.url ?? '', config.baseURL);
      const host = [...durableRpcHosts].find(([prefix]) => url.href.startsWith(prefix))?.[1];
      if (!host) return fallback(config);
      const body = typeof config.data === 'string' ? config.data : config.data === undefined ? '' : JSON.stringify(config.data);
      const answer = await host.durableRpc((config.method ?? 'get').toUpperCase(), url, body);
      return { data: answer.body, status: answer.status, statusText: String(answer.status), headers: {}, config, request: {} };
    }) satisfies AxiosAdapter;
  }

  private forgetDurableClient(): void {
    durableRpcHosts.delete(`${this.baseUrl}/runtime/webhooks/durabletask/`);
  }
}

/** The minimum of axios that `routeDurableClient` uses. */
interface AxiosRequest {
  url?: string;
  baseURL?: string;
  method?: string;
  data?: unknown;
}
type AxiosAdapter = (config: AxiosRequest) => Promise<unknown>;
interface AxiosLike {
  defaults: { adapter?: unknown | AxiosAdapter };
  getAdapter(adapter: unknown): AxiosAdapter;
}

const durableRpcHosts = new Map<string, LocalFunctionsHost>();
let durableAdapterInstalled = false;

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown, problem = false): void {
  res.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json' });
  res.end(JSON.stringify(body));
}

async function writeResponse(res: ServerResponse, result: HttpResponseInit | HttpResponse | undefined): Promise<void> {
  if (result instanceof HttpResponse) {
    res.writeHead(result.status, Object.fromEntries(result.headers.entries()));
    res.end(Buffer.from(await result.arrayBuffer()));
    return;
  }
  const init = result ?? {};
  const headers = new Headers(init.headers as HeadersInit | undefined);
  let payload: string | Buffer | undefined;
  if (init.jsonBody !== undefined) {
    payload = JSON.stringify(init.jsonBody);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else if (typeof init.body === 'string') {
    payload = init.body;
  } else if (init.body instanceof Uint8Array) {
    payload = Buffer.from(init.body);
  }
  res.writeHead(init.status ?? 200, Object.fromEntries(headers.entries()));
  res.end(payload);
}
