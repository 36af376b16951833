import type { Activity, Middleware, TurnContext } from 'botbuilder';

/** A token bucket that lends from the future: `reserve` always takes a token and says how long to wait before using it. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.perSecond;
  }

  /** Full again: nobody has used it for a while. */
  isIdle(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.perSecond) / 1000);
    this.updatedAt = now;
  }
}

/**
 * Teams' published bot limits: per conversation 7 messages in 1 s, 8 in 2 s and 60 in 30 s, and 50 requests a
 * second per app per tenant. A burst of 6 refilled at 1 a second stays inside all three conversation windows.
 */
export const teamsLimits: TeamsLimits = {
  conversation: { perSecond: 1, burst: 6 },
  tenant: { perSecond: 50, burst: 50 },
};

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface TeamsLimits {
  conversation: RateLimit;
  tenant: RateLimit;
}

const maxTrackedBuckets = 5_000;

/** Paces this process's calls to the Bot Connector so Teams rarely has to answer 429. */
export class TeamsRateLimits {
  private readonly conversations = new Map<string, TokenBucket>();
  private readonly tenants = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: TeamsLimits = teamsLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until one more message may go to this conversation. */
  async acquire(tenantId: string, conversationId: string): Promise<void> {
    const wait = Math.max(
      this.bucket(this.tenants, tenantId, this.limits.tenant).reserve(),
      this.bucket(this.conversations, conversationId, this.limits.conversation).reserve(),
    );
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private bucket(buckets: Map<string, TokenBucket>, key: string, limit: RateLimit): TokenBucket {
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxTrackedBuckets) for (const [idleKey, idle] of buckets) if (idle.isIdle()) buckets.delete(idleKey);
      bucket = new TokenBucket(limit.perSecond, limit.burst, this.now);
      buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** Invoke responses travel back in the HTTP response, not through the connector: they are not paced. */
const pacedTypes = new Set(['message', 'typing', 'event']);

/** Middleware that holds every outgoing message and update until the conversation and tenant have room for it. */
export function paceOutgoing(limits: TeamsRateLimits): Middleware {
  const pace = async (context: TurnContext, count: number) => {
    const { conversation } = context.activity;
    const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
    const tenantId = conversation?.tenantId ?? channelData?.tenant?.id ?? '';
    for (let i = 0; i < count; i += 1) await limits.acquire(tenantId, conversation?.id ?? '');
  };
  return {
    async onTurn(context, next) {
      context.onSendActivities(async (ctx, activities: Partial<Activity>[], send) => {
        await pace(ctx, activities.filter((activity) => pacedTypes.has(activity.type ?? 'message')).length);
        return send();
      });
      context.onUpdateActivity(async (ctx, _activity, update) => {
        await pace(ctx, 1);
        return update();
      });
      await next();
    },
  };
}
