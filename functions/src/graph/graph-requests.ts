import { setTimeout as sleep } from 'node:timers/promises';
import { GraphError, RetryHandlerOptions, type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { MailboxLimiter } from './mailbox-limiter';

/** How hard to try before a Graph call reports failure. */
export interface GraphRequestPolicy {
  /** Deadline of one request, including the SDK's own retries of it. */
  timeoutMs: number;
  /** Retries of 429, 503 and 504 by the SDK's RetryHandler, which waits the Retry-After the service asks for. */
  throttleRetries: number;
  /** Wait before a throttled retry when the service names none; it doubles with each attempt. */
  throttleDelaySeconds: number;
  /** Our own retries of other 5xx answers and timeouts, for calls that are safe to repeat. */
  serverErrorRetries: number;
  /** First back-off before such a retry; it doubles with each attempt. */
  serverErrorBackoffMs: number;
}

export const defaultGraphRequestPolicy: GraphRequestPolicy = {
  timeoutMs: 30_000,
  throttleRetries: 3,
  throttleDelaySeconds: 3,
  serverErrorRetries: 2,
  serverErrorBackoffMs: 1_000,
};

/** A Graph call that failed, stripped of the request it came from (tokens, bodies). */
export class GraphRequestError extends Error {
  constructor(
    /** The HTTP status, or undefined when no answer came (timeout, network). */
    readonly status: number | undefined,
    readonly code: string | undefined,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }

  /** Worth trying again later: throttling, a server-side failure, or no answer at all. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 408 || this.status === 429 || this.status >= 500;
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export function graphRequestError(error: unknown, timeoutMs: number): GraphRequestError {
  if (error instanceof GraphRequestError) return error;
  if (error instanceof GraphError && error.statusCode > 0) {
    const retryAfter = Number(error.headers?.get('retry-after'));
    return new GraphRequestError(
      error.statusCode,
      error.code ?? undefined,
      `Microsoft Graph answered ${error.statusCode}${error.code ? ` ${error.code}` : ''}: ${error.message || 'no message'}`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    );
  }
  const name = error instanceof GraphError ? error.code : (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GraphRequestError(undefined, 'timeout', `Microsoft Graph did not answer within ${timeoutMs} ms.`);
  }
  return new GraphRequestError(
    undefined,
    'network',
    `Microsoft Graph could not be reached: ${(error as Error | undefined)?.message ?? String(error)}`,
  );
}

/** Builds one request; each gets its own deadline and the throttling policy. */
export type GraphApi = (path: string) => GraphRequest;

/**
 * Every Graph call ASEP makes goes through here: at most four at a time per mailbox, 429s retried after the
 * Retry-After Graph asks for (the SDK's RetryHandler, configured per request so an injected client gets the
 * same policy), other 5xx answers and timeouts retried with exponential back-off when repeating is harmless,
 * and every failure turned into a GraphRequestError.
 */
export class GraphRequests {
  constructor(
    private readonly client: Client,
    readonly limiter = new MailboxLimiter(),
    readonly policy: GraphRequestPolicy = defaultGraphRequestPolicy,
  ) {}

  /**
   * Runs `operation` (one or more sequential requests) on behalf of a mailbox. With `safeToRepeat`, a 5xx or a
   * timeout runs the whole operation again after a back-off; `weight` is how many requests run at once
   * (a JSON batch's size).
   */
  async call<T>(mailbox: string, operation: (api: GraphApi) => Promise<T>, options: { safeToRepeat?: boolean; weight?: number } = {}): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.limiter.run(mailbox, () => operation((path) => this.request(path)), options.weight);
      } catch (error) {
        const failure = graphRequestError(error, this.policy.timeoutMs);
        const repeat = options.safeToRepeat === true && failure.retryable && failure.status !== 429 && attempt < this.policy.serverErrorRetries;
        if (!repeat) throw failure;
        await sleep(this.policy.serverErrorBackoffMs * 2 ** attempt);
      }
    }
  }

  private request(path: string): GraphRequest {
    return this.client
      .api(path)
      .middlewareOptions([new RetryHandlerOptions(this.policy.throttleDelaySeconds, this.policy.throttleRetries)])
      .option('signal', AbortSignal.timeout(this.policy.timeoutMs));
  }
}

/** Graph answered 404: the mailbox, message or subscription does not exist (any more). */
export function isNotFound(error: unknown): boolean {
  return (error instanceof GraphError && error.statusCode === 404) || (error instanceof GraphRequestError && error.notFound);
}

/** A path segment: mailbox addresses and Graph ids may hold characters a URL treats specially. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/** An OData string literal (quotes doubled), URL-encoded for the query string, which the SDK sends as given. */
export function odataEquals(property: string, value: string): string {
  return encodeURIComponent(`${property} eq '${value.replace(/'/g, "''")}'`);
}
