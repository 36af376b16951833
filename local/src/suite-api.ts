/** Calling a running suite's HTTP API, as the demo and the tests do. */

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  contentType: string;
  /** Where a 201 or 202 points (`Location`), as a path under `/api/`. */
  location?: string;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; text?: string; contentType?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }
  const response = await fetch(`${baseUrl}/api/${path.replace(/^\//, '')}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const location = response.headers.get('location')?.replace(/^\/api\//, '');
  return { status: response.status, body: parsed as T, contentType: response.headers.get('content-type') ?? '', ...(location && { location }) };
}

/** Polls until `probe` returns a value other than undefined, or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** Follows an accepted request's `Location` until what it reports is `done`; answers that last report. */
export async function untilDone<T extends { done: boolean } = any>(
  baseUrl: string,
  accepted: ApiResponse,
  token: string,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  if (!accepted.location) throw new Error(`${what}: the answer (${accepted.status}) has no Location to follow`);
  return eventually(
    async () => {
      const progress = await call<T>(baseUrl, 'GET', accepted.location!, { token });
      if (progress.status !== 200) throw new Error(`${what}: GET ${accepted.location} answered ${progress.status} ${JSON.stringify(progress.body)}`);
      return progress.body.done ? progress.body : undefined;
    },
    what,
    timeoutMs,
  );
}

/**
 * Every page of a list route (`path` may carry its own query), following `x-continuation-token` to the end.
 * A page that is not 200 stops with its answer, so a broken token or filter cannot pass for an empty list.
 */
export async function everyPage<T = any>(baseUrl: string, path: string, token: string): Promise<T[][]> {
  const pages: T[][] = [];
  const separator = path.includes('?') ? '&' : '?';
  let continuation: string | null = null;
  do {
    const url = `${baseUrl}/api/${path.replace(/^\//, '')}${continuation ? `${separator}continuationToken=${encodeURIComponent(continuation)}` : ''}`;
    const response: Response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    pages.push((await response.json()) as T[]);
    continuation = response.headers.get('x-continuation-token');
  } while (continuation);
  return pages;
}
