import { Client } from '@hubspot/api-client';
import type { HubSpotAccess } from './connections';
import type { HubSpotRateLimiter } from './rate-limit';

/**
 * How a request may be repeated. `create` is not idempotent: when its answer is lost (timeout, 5xx) HubSpot may or
 * may not have created the object, so it is not sent again here; the caller reconciles on its next attempt.
 */
export type RequestKind = 'read' | 'search' | 'write' | 'create';

/** A HubSpot call that failed for good. `retryable` says whether the same step may succeed later. */
export class HubSpotRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly category: string,
    readonly retryable: boolean,
    detail: string,
    /** The request may have taken effect although no answer said so. */
    readonly ambiguous = false,
  ) {
    super(`HubSpot ${operation} failed${status ? ` (${status} ${category})` : ` (${category})`}: ${detail}`);
  }
}

export interface HubSpotRequestOptions {
  basePath: string;
  timeoutMs: number;
  limiter: HubSpotRateLimiter;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** The longest Retry-After this layer waits out; a longer one fails the call as retryable. */
  maxRetryAfterMs?: number;
}

interface Failure {
  status?: number;
  category: string;
  detail: string;
  retryAfterMs?: number;
}

const backoffBaseMs = 400;
const backoffCapMs = 8_000;

/**
 * Every call to one tenant's portal goes through here: the portal's rate limit, a timeout, one token renewal after a
 * 401, and retries with backoff for 429 (honouring Retry-After, which the SDK ignores) and for 5xx and lost answers
 * where repeating is safe. The SDK's own retries stay off (`numberOfApiCallRetries: 0`).
 */
export class HubSpotRequests {
  private client?: { token: string; sdk: Client };

  constructor(
    private readonly access: HubSpotAccess,
    private readonly options: HubSpotRequestOptions,
  ) {}

  get hubId(): number {
    return this.access.hubId;
  }

  async send<T>(operation: string, kind: RequestKind, call: (client: Client) => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    let token = await this.access.accessToken();
    let renewed = false;
    for (let attempt = 1; ; attempt += 1) {
      await this.options.limiter.acquire(this.access.hubId, kind === 'search');
      let failure: Failure;
      try {
        return await withTimeout(call(this.sdkFor(token)), this.options.timeoutMs);
      } catch (error) {
        failure = failureOf(error);
      }
      const lastAttempt = attempt >= maxAttempts;
      if (failure.status === 401 && !renewed) {
        renewed = true;
        token = await this.access.renewedAccessToken();
        continue;
      }
      if (failure.status === 429) {
        const wait = failure.retryAfterMs ?? backoffMs(attempt);
        if (lastAttempt || wait > (this.options.maxRetryAfterMs ?? 30_000)) throw errorOf(operation, failure, true);
        await sleep(wait);
        continue;
      }
      const transient = failure.status === undefined || failure.status >= 500;
      if (!transient) throw errorOf(operation, failure, false);
      if (kind === 'create') throw errorOf(operation, failure, true, true);
      if (lastAttempt) throw errorOf(operation, failure, true);
      await sleep(backoffMs(attempt));
    }
  }

  private sdkFor(token: string): Client {
    if (this.client?.token !== token) {
      this.client = { token, sdk: new Client({ accessToken: token, basePath: this.options.basePath, numberOfApiCallRetries: 0 }) };
    }
    return this.client.sdk;
  }
}

class RequestTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  // The SDK cannot abort a request; a late answer is dropped, and a late failure must not become an unhandled rejection.
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads an SDK failure without keeping anything that could carry a credential. */
function failureOf(error: unknown): Failure {
  if (error instanceof RequestTimeout) return { category: 'TIMEOUT', detail: error.message };
  const candidate = error as { code?: unknown; body?: unknown; headers?: Record<string, string> };
  if (typeof candidate.code === 'number' && candidate.code >= 100) {
    const body = (typeof candidate.body === 'object' && candidate.body !== null ? candidate.body : {}) as { message?: unknown; category?: unknown };
    return {
      status: candidate.code,
      category: typeof body.category === 'string' ? body.category : 'HTTP_ERROR',
      detail: typeof body.message === 'string' ? body.message : `HTTP ${candidate.code}`,
      retryAfterMs: retryAfterMs(candidate.headers?.['retry-after']),
    };
  }
  // Connection refused, reset, DNS: nothing reached HubSpot's answer.
  return { category: 'NETWORK', detail: error instanceof Error ? error.message : String(error) };
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function errorOf(operation: string, failure: Failure, retryable: boolean, ambiguous = false): HubSpotRequestError {
  return new HubSpotRequestError(operation, failure.status, failure.category, retryable, failure.detail, ambiguous);
}

/** Exponential backoff with jitter, so instances that failed together do not retry together. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
