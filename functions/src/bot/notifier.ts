import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import { isAllowed, type Permission } from '@asep/shared/access/matrix';
import type { Role } from '@asep/shared/access/roles';
import type { Approval } from '@asep/shared/approvals/approval';
import { cardMessage } from '@asep/teams-app/bot/asep-bot';
import { buildApprovalCard } from '@asep/teams-app/cards/approval-card';
import { buildCanaryCard } from '@asep/teams-app/cards/canary-card';
import { buildWeeklyDigestCard } from '@asep/teams-app/cards/digest-card';
import type { RoiReport } from '@asep/shared/reports/roi';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';
import { getServices, type Notifier, type Services } from '../composition/services';
import { consoleLink } from './console-link';
import { type BotChannel, type BotCredentials, botChannel } from './channel';
import {
  approvalCardReferences,
  deleteApprovalCardReference,
  personalConversationReference,
  saveApprovalCardReference,
} from './conversation-references';

export interface DeliveryRetry {
  /** Tries per message, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

const defaultRetry: DeliveryRetry = { attempts: 5, firstDelayMs: 1_000, maxDelayMs: 30_000 };

/** What a message is about: it orders the work (one topic's messages go out in order) and names failed deliveries. */
interface Topic {
  tenantId: string;
  /** For logs, and unique per topic: `approval apr-1`, `canary of campaign cmp-1`. */
  label: string;
  /** Ties the audited failures of its deliveries together. */
  correlationId: string;
  /** Goes into each `bot.delivery_failed` payload. */
  subject: { approvalId: string } | { campaignId: string } | { digestWeek: string };
}

const approvalTopic = (approval: Approval): Topic => ({
  tenantId: approval.tenantId,
  label: `approval ${approval.id}`,
  correlationId: approval.id,
  subject: { approvalId: approval.id },
});

const canaryTopic = (tenantId: string, campaignId: string): Topic => ({
  tenantId,
  label: `canary of campaign ${campaignId}`,
  correlationId: campaignId,
  subject: { campaignId },
});

interface Delivery {
  topic: Topic;
  operation: 'post' | 'update';
  /** Whose chat: the recipient's Entra object id. */
  recipient: string;
}

interface Failure {
  status?: number;
  code?: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export interface TeamsNotifierOptions {
  services?: () => Promise<Services>;
  channel?: (credentials: BotCredentials) => BotChannel;
  retry?: DeliveryRetry;
  /** Last resort, for when even the audit log cannot be written. */
  log?: (line: string) => void;
}

/**
 * Tells the people who decide, in their personal chat with the bot. Every call only queues the work and returns
 * at once, so creating or deciding an approval, or halting a canary, never waits on Teams or fails because of it.
 * Each message is paced by the channel's rate limits. The Bot Connector client itself retries 5xx and
 * 429-with-Retry-After a few times; what still fails (429, 412, 5xx, no connection) is retried here with backoff,
 * and every such failure is audited as `bot.delivery_failed`, the last one too, after which the card is left to
 * the `pending` command and the console. The retries live in this process: work still queued when it stops is
 * lost (the approval or canary itself is not). Work for one topic runs in order, so an approval's outcome never
 * overtakes its card.
 */
export class TeamsNotifier implements Notifier {
  private readonly retry: DeliveryRetry;
  private readonly running = new Set<Promise<void>>();
  private readonly lastJobByTopic = new Map<string, Promise<void>>();

  constructor(private readonly options: TeamsNotifierOptions = {}) {
    this.retry = options.retry ?? defaultRetry;
  }

  async approvalCreated(approval: Approval): Promise<void> {
    this.enqueue(approvalTopic(approval), () => this.postToDeciders(approval));
  }

  async approvalDecided(approval: Approval): Promise<void> {
    this.enqueue(approvalTopic(approval), () => this.replaceCards(approval));
  }

  /** The halted canary's card goes to everyone who may promote or halt it, so they learn the campaign stopped sending. */
  async canaryHalted(tenantId: string, report: CanaryReport): Promise<void> {
    const topic = canaryTopic(tenantId, report.campaignId);
    this.enqueue(topic, async () => {
      await this.postToEveryoneAllowed(await this.services(), topic, 'campaigns.run', (_reference, viewerRoles) =>
        buildCanaryCard(report, { viewerRoles }),
      );
    });
  }

  /** The week's numbers go to everyone who may read reports: the same figures as the console's ROI page. */
  async weeklyDigest(tenantId: string, report: RoiReport): Promise<void> {
    const week = report.period.from.slice(0, 10);
    const topic: Topic = { tenantId, label: `weekly digest ${week} of tenant ${tenantId}`, correlationId: `digest-${week}`, subject: { digestWeek: week } };
    this.enqueue(topic, async () => {
      const services = await this.services();
      const card = buildWeeklyDigestCard(report, `${consoleLink(services)}#/roi`);
      await this.postToEveryoneAllowed(services, topic, 'reports.read', () => card);
    });
  }

  /** Resolves once everything queued so far has been delivered or given up on. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private enqueue(topic: Topic, work: () => Promise<void>): void {
    const previous = this.lastJobByTopic.get(topic.label) ?? Promise.resolve();
    const job = previous.then(work).catch((error: unknown) => this.log(`bot: notifying about ${topic.label} failed: ${messageOf(error)}`));
    this.lastJobByTopic.set(topic.label, job);
    this.running.add(job);
    void job.finally(() => {
      this.running.delete(job);
      if (this.lastJobByTopic.get(topic.label) === job) this.lastJobByTopic.delete(topic.label);
    });
  }

  private async postToDeciders(approval: Approval): Promise<void> {
    const services = await this.services();
    const posted = await this.postToEveryoneAllowed(services, approvalTopic(approval), 'approvals.decide', (reference, roles) =>
      this.cardFor(services, approval, reference, roles),
    );
    for (const { recipient, reference } of posted) {
      const owner = { tenantId: approval.tenantId, aadObjectId: recipient };
      await saveApprovalCardReference(services, owner, { scope: 'personal' }, approval.id, reference);
    }
  }

  /**
   * Posts a card to the personal chat of each of the tenant's users with `permission` whom the bot can reach.
   * Answers where each card landed (`reference.activityId` is its message), for the posts that went through.
   */
  private async postToEveryoneAllowed(
    services: Services,
    topic: Topic,
    permission: Permission,
    cardFor: (reference: Partial<ConversationReference>, viewerRoles: readonly Role[]) => AdaptiveCard,
  ): Promise<{ recipient: string; reference: Partial<ConversationReference> }[]> {
    const allowed = (await services.store.users.query(topic.tenantId)).filter((user) => isAllowed(user.roles, permission));
    const posted = await Promise.all(
      allowed.map(async ({ userId: recipient, roles }) => {
        const reference = await personalConversationReference(services, topic.tenantId, recipient);
        if (!reference) return [];
        const card = cardFor(reference, roles);
        const activityId = await this.deliver(services, { topic, operation: 'post', recipient }, () => this.post(services, reference, card));
        return activityId ? [{ recipient, reference: { ...reference, activityId } }] : [];
      }),
    );
    return posted.flat();
  }

  private async replaceCards(approval: Approval): Promise<void> {
    const services = await this.services();
    const [posted, users] = await Promise.all([
      approvalCardReferences(services, approval.tenantId, approval.id),
      services.store.users.query(approval.tenantId),
    ]);
    const rolesOf = new Map(users.map((user) => [user.userId, user.roles]));
    await Promise.all(
      posted.map(async (record) => {
        const reference = record.reference as Partial<ConversationReference>;
        // A card in a team channel is seen by many: it keeps every button, and each press is checked.
        const viewerRoles = record.aadObjectId ? (rolesOf.get(record.aadObjectId) ?? []) : undefined;
        const card = this.cardFor(services, approval, reference, viewerRoles);
        const delivery: Delivery = {
          topic: approvalTopic(approval),
          operation: 'update',
          recipient: record.aadObjectId ?? record.teamId ?? 'unknown',
        };
        const updated = await this.deliver(services, delivery, () => this.update(services, reference, card), { fallback: true });
        if (updated === 'gone') await this.deliver(services, { ...delivery, operation: 'post' }, () => this.post(services, reference, card));
        // An email held by a kill switch updates its card once more, when it is sent.
        if (approval.delivery?.status !== 'held') await deleteApprovalCardReference(services, record);
      }),
    );
  }

  private cardFor(
    services: Services,
    approval: Approval,
    reference: Partial<ConversationReference>,
    viewerRoles: readonly Role[] | undefined,
  ): AdaptiveCard {
    const viewer = reference.user?.id;
    return buildApprovalCard(approval, {
      consoleUrl: consoleLink(services, approval.id),
      ...(viewer && { refreshUserIds: [viewer] }),
      ...(viewerRoles && { viewerRoles }),
    });
  }

  private async post(services: Services, reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<string | undefined> {
    const { adapter, appId } = this.channel(services);
    let activityId: string | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      activityId = (await context.sendActivity(cardMessage(card)))?.id;
    });
    return activityId;
  }

  private async update(services: Services, reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<'updated'> {
    const { adapter, appId } = this.channel(services);
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      await context.updateActivity({ ...cardMessage(card), id: reference.activityId });
    });
    return 'updated';
  }

  /**
   * Sends with retries. Answers what `send` answered, or undefined once it gave up. With `fallback`, a permanent
   * refusal (the message was deleted, say) answers 'gone' so the caller can post a new message instead.
   */
  private async deliver<T>(
    services: Services,
    delivery: Delivery,
    send: () => Promise<T>,
    options: { fallback?: boolean } = {},
  ): Promise<T | 'gone' | undefined> {
    const deliveryId = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        const failure = classify(error);
        const willRetry = failure.retryable && attempt < this.retry.attempts;
        const fallingBack = !failure.retryable && options.fallback === true;
        await this.recordFailure(services, delivery, deliveryId, attempt, failure, willRetry || fallingBack);
        if (fallingBack) return 'gone';
        if (!willRetry) return undefined;
        await sleep(this.backoff(attempt, failure.retryAfterMs));
      }
    }
  }

  private backoff(attempt: number, retryAfterMs = 0): number {
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.firstDelayMs * 2 ** (attempt - 1));
    // Jitter keeps many retries from arriving together.
    return Math.max(retryAfterMs, exponential * (0.5 + Math.random() / 2));
  }

  private async recordFailure(
    services: Services,
    delivery: Delivery,
    deliveryId: string,
    attempt: number,
    failure: Failure,
    followedUp: boolean,
  ): Promise<void> {
    const { topic, operation, recipient } = delivery;
    try {
      await services.audit.append(topic.tenantId, {
        actor: { type: 'system', id: 'teams-bot' },
        type: 'bot.delivery_failed',
        correlationId: topic.correlationId,
        idempotencyKey: `bot.delivery_failed:${deliveryId}:${attempt}`,
        payload: {
          ...topic.subject,
          operation,
          recipient,
          attempt,
          status: failure.status ?? null,
          code: failure.code ?? null,
          willRetry: followedUp,
        },
      });
    } catch (error) {
      this.log(`bot: could not audit a failed ${operation} for ${topic.label} (attempt ${attempt}): ${messageOf(error)}`);
    }
  }

  private services(): Promise<Services> {
    return (this.options.services ?? getServices)();
  }

  private channel(services: Services): BotChannel {
    return (this.options.channel ?? botChannel)(services.botCredentials);
  }

  private log(line: string): void {
    (this.options.log ?? console.error)(line);
  }
}

/** Teams asks to retry 429, 412, 502 and 504; any 5xx and a connection that failed outright are treated alike. */
function classify(error: unknown): Failure {
  const failure = error as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  const rawStatus = failure.statusCode ?? failure.status;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const code = typeof failure.code === 'string' ? failure.code.slice(0, 60) : undefined;
  const retryAfter = Number(failure.response?.headers?.get?.('retry-after'));
  return {
    ...(status !== undefined && { status }),
    ...(code && { code }),
    retryable: status === undefined || status === 429 || status === 412 || status >= 500,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  // Unreferenced: a pending retry must not keep a stopping process alive.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
