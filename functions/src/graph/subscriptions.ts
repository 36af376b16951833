import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/clock';
import { isNotFound, segment, type GraphRequests } from './graph-requests';

export interface SubscriptionSettings {
  /** Where Graph posts change notifications: `<ASEP_API_ENDPOINT>/api/graph/notifications`. */
  notificationUrl: string;
  /** Where Graph posts lifecycle notifications: `<ASEP_API_ENDPOINT>/api/graph/lifecycle`. */
  lifecycleNotificationUrl: string;
  /** How long each subscription lives; Graph's maximum for Outlook messages is the default. */
  lifetimeMinutes: number;
}

export const defaultSubscriptionMinutes = 4230;
/** The upkeep timer runs every 30 minutes; renewing an hour ahead leaves room for one missed run. */
const minimumRenewalLeadMinutes = 60;

export interface CreatedSubscription {
  subscriptionId: string;
  /** The secret Graph echoes in every notification; the caller keeps only its hash. */
  clientState: string;
  expiresAt: string;
}

/** The resource a mailbox's subscription watches: new messages in its Inbox (not Sent Items, not Drafts). */
export function inboxResource(mailbox: string): string {
  return `users/${mailbox}/mailFolders('inbox')/messages`;
}

/** Graph change-notification subscriptions (`/subscriptions`) on connected mailboxes' inboxes. */
export class GraphSubscriptions {
  constructor(
    private readonly graph: GraphRequests,
    private readonly clock: Clock,
    readonly settings: SubscriptionSettings,
  ) {}

  /** Graph checks the notification URLs (validationToken) before it answers, so the webhook must be reachable. */
  async create(mailbox: string): Promise<CreatedSubscription> {
    const clientState = randomBytes(32).toString('base64url');
    const created = (await this.graph.call(mailbox, (api) =>
      api('/subscriptions').post({
        changeType: 'created',
        notificationUrl: this.settings.notificationUrl,
        lifecycleNotificationUrl: this.settings.lifecycleNotificationUrl,
        resource: inboxResource(mailbox),
        expirationDateTime: this.nextExpiry(),
        clientState,
        latestSupportedTlsVersion: 'v1_2',
      }),
    )) as { id: string; expirationDateTime: string };
    return { subscriptionId: created.id, clientState, expiresAt: created.expirationDateTime };
  }

  /** Extends the subscription's life; this also reauthorizes it. A subscription Graph no longer has is a 404. */
  async renew(mailbox: string, subscriptionId: string): Promise<{ expiresAt: string }> {
    const renewed = (await this.graph.call(
      mailbox,
      (api) => api(`/subscriptions/${segment(subscriptionId)}`).patch({ expirationDateTime: this.nextExpiry() }),
      {
        safeToRepeat: true,
      },
    )) as { expirationDateTime: string };
    return { expiresAt: renewed.expirationDateTime };
  }

  /** Deletes the subscription; one Graph already dropped counts as deleted. */
  async remove(mailbox: string, subscriptionId: string): Promise<void> {
    await this.graph.call(
      mailbox,
      async (api) => {
        try {
          await api(`/subscriptions/${segment(subscriptionId)}`).delete();
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      },
      { safeToRepeat: true },
    );
  }

  /** Whether a subscription expiring then should be renewed now. */
  renewalDue(expiresAt: string): boolean {
    const leadMinutes = Math.max(this.settings.lifetimeMinutes / 2, minimumRenewalLeadMinutes);
    return new Date(expiresAt).getTime() - this.clock.now().getTime() <= leadMinutes * 60_000;
  }

  private nextExpiry(): string {
    return new Date(this.clock.now().getTime() + this.settings.lifetimeMinutes * 60_000).toISOString();
  }
}
