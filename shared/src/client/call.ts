import { z } from 'zod';
import { ApiProblem, isAbort } from './problem';

export interface ApiCallOptions {
  /** Where the API's routes start, e.g. `/api` or `https://asep-func.azurewebsites.net/api`. */
  baseUrl: string;
  accessToken: () => Promise<string>;
  /** Who reads the answers, for the problem an answer it cannot read becomes: `the console`, `the pane`. */
  reader: string;
  fetch?: typeof fetch;
}

export type ApiCall = <T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  schema: z.ZodType<T>,
  options?: { body?: unknown; signal?: AbortSignal },
) => Promise<T>;

/** One page of a list and the token that continues it (absent on the last page). */
export interface ApiPage<T> {
  items: T[];
  continuationToken?: string;
}

/** The response header every list carries its next page's token in. */
export const continuationHeader = 'x-continuation-token';

/** The query of one page of a list: its filters, `limit` and the token of the page before, if any. */
export function pageQuery(filters: Record<string, string | undefined>, limit: number, continuationToken?: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  query.set('limit', String(limit));
  if (continuationToken) query.set('continuationToken', continuationToken);
  return query.toString();
}

export type ApiPageCall = <T>(path: string, itemSchema: z.ZodType<T>, options?: { signal?: AbortSignal }) => Promise<ApiPage<T>>;

/**
 * The one way the front ends call the ASEP API: a bearer token on every request, JSON in and out, every answer
 * parsed with its shared schema, and every failure an ApiProblem (the problem+json `detail` and `errors[]`).
 */
export function createApiCall(options: ApiCallOptions): ApiCall {
  const request = createRequest(options);
  return async (method, path, schema, callOptions = {}) => parseAnswer(await request(method, path, callOptions), schema, options.reader);
}

/** GETs one page of a list: the body's items, and the `x-continuation-token` header as the next page's token. */
export function createApiPageCall(options: ApiCallOptions): ApiPageCall {
  const request = createRequest(options);
  return async (path, itemSchema, callOptions = {}) => {
    const response = await request('GET', path, callOptions);
    const items = await parseAnswer(response, z.array(itemSchema), options.reader);
    const continuationToken = response.headers.get(continuationHeader) ?? undefined;
    return continuationToken ? { items, continuationToken } : { items };
  };
}

function createRequest({ baseUrl, accessToken, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }: ApiCallOptions) {
  return async (method: 'GET' | 'POST' | 'PUT', path: string, options: { body?: unknown; signal?: AbortSignal }): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return send(fetchImpl, `${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  };
}

/** A request whose failure to reach the service is an ApiProblem with status 0; an abort stays an abort. */
export async function send(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiProblem(0, 'The ASEP service could not be reached', error instanceof Error ? error.message : String(error));
  }
}

export async function parseAnswer<T>(response: Response, schema: z.ZodType<T>, reader: string): Promise<T> {
  if (!response.ok) throw await ApiProblem.fromResponse(response);
  const notUnderstood = `The ASEP service sent an answer ${reader} does not understand`;
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiProblem(response.status, notUnderstood, 'The body is not JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiProblem(response.status, notUnderstood, z.prettifyError(parsed.error));
  return parsed.data;
}
