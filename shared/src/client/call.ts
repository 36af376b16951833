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

/**
 * The one way the front ends call the ASEP API: a bearer token on every request, JSON in and out, every answer
 * parsed with its shared schema, and every failure an ApiProblem (the problem+json `detail` and `errors[]`).
 */
export function createApiCall({ baseUrl, accessToken, reader, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }: ApiCallOptions): ApiCall {
  return async (method, path, schema, options = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(fetchImpl, `${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    return parseAnswer(response, schema, reader);
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
