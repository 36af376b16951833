import type { SqlParameter } from '@azure/cosmos';
import type { Approval } from '@asep/shared/approvals/approval';
import type { KillSwitchChange, KillSwitchState } from '@asep/shared/killswitch/killswitch';
import type { BotBackend, BotUser, CanaryDecision, KillSwitchView, StatusReport } from '@asep/teams-app/bot/backend';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import { decideApproval, findApproval, listApprovals, toApproval } from '../approvals/approvals';
import type { Services } from '../composition/services';
import { canaryReport, haltCanary, promoteCanary } from '../deliverability/canary';
import { HttpProblem } from '../http/problem';
import type { Principal } from '../identity/principal';
import { changeKillSwitch, type KillSwitchControl } from '../killswitch/killswitch';
import { consoleLink } from './console-link';
import { deleteConversationReference, saveApprovalCardReference, saveConversationReference } from './conversation-references';

/**
 * The bot's view of the backend, made of the same functions the HTTP API calls: decisions go through
 * `decideApproval` (conditional write, audited once, the waiting orchestration told), kill switches through
 * `changeKillSwitch`, canaries through `promoteCanary` / `haltCanary`. One per request: `correlationId` ties its audit events together.
 *
 * `sequences` is the durable client: decisions wake the waiting orchestration, a kill switch turned off ends the
 * sequences it held or starts the release that wakes them.
 */
export function createBotBackend(services: Services, sequences: KillSwitchControl, correlationId: string): BotBackend {
  const raiseEvent = (instanceId: string, eventName: string, data: unknown) => sequences.raiseEvent(instanceId, eventName, data);
  const principalOf = (user: BotUser): Principal => ({ tenantId: user.tenantId, userId: user.userId, name: user.name, roles: [...user.roles] });
  const owner = (user: BotUser) => ({ tenantId: user.tenantId, aadObjectId: user.userId });

  async function currentApproval(user: BotUser, approvalId: string): Promise<Approval | undefined> {
    return whenFound(async () => toApproval(await findApproval(services, user.tenantId, approvalId)));
  }

  async function killSwitchView(tenantId: string, state?: KillSwitchState): Promise<KillSwitchView> {
    const [record, campaigns] = await Promise.all([
      state ? undefined : services.store.forTenant(tenantId).killSwitches.read('killswitch'),
      services.store.campaigns.query(tenantId, 'true', [], 'ORDER BY c.createdAt DESC'),
    ]);
    return {
      state: state ?? { ...(record?.tenant && { tenant: record.tenant }), campaigns: record?.campaigns ?? {} },
      campaigns: campaigns.map(({ id, name, status }) => ({ id, name, status })),
    };
  }

  return {
    async identify(sender) {
      const { tenantId, aadObjectId, name } = services.resolveSender(sender);
      if (!tenantId || !aadObjectId) return undefined;
      const record = await services.store.forTenant(tenantId).users.read(`user-${aadObjectId}`);
      return { tenantId, userId: aadObjectId, name: record?.name ?? name ?? aadObjectId, roles: record?.roles ?? [] };
    },

    rememberConversation: (user, place, reference) => saveConversationReference(services, owner(user), place, reference),
    forgetConversation: (user, place) => deleteConversationReference(services, owner(user), place),
    rememberApprovalCard: (user, place, approvalId, reference) => saveApprovalCardReference(services, owner(user), place, approvalId, reference),

    async pendingApprovals(user, limit) {
      const pending = await listApprovals(services, user.tenantId, 'pending');
      const soonestFirst = pending.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
      return { approvals: soonestFirst.slice(0, limit), total: pending.length };
    },

    approval: currentApproval,

    async decide(user, approvalId, { approved, ...input }) {
      try {
        const { approval, changed } = await decideApproval(services, raiseEvent, principalOf(user), approvalId, approved, input, correlationId);
        if (changed) await services.notify.approvalDecided(approval);
        return approval;
      } catch (error) {
        // Decided the other way already, or expired: the caller sees how it stands; nothing changed.
        if (error instanceof HttpProblem && error.status === 409) return currentApproval(user, approvalId);
        if (error instanceof HttpProblem && error.status === 404) return undefined;
        throw error;
      }
    },

    killSwitch: (user) => killSwitchView(user.tenantId),

    async changeKillSwitch(user, change: KillSwitchChange) {
      return whenFound(async () =>
        killSwitchView(user.tenantId, await changeKillSwitch(services, sequences, principalOf(user), change, correlationId)),
      );
    },

    async status(user): Promise<StatusReport> {
      const now = services.clock.now();
      const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
      const [{ state, campaigns }, pending] = await Promise.all([killSwitchView(user.tenantId), listApprovals(services, user.tenantId, 'pending')]);
      const sentToday = await Promise.all(
        campaigns.map((campaign) =>
          countTouches(services, user.tenantId, "c.status = 'sent' AND c.campaignId = @campaignId AND c.at >= @since", [
            { name: '@campaignId', value: campaign.id },
            { name: '@since', value: midnight },
          ]),
        ),
      );
      return {
        day: midnight.slice(0, 10),
        allSendingStopped: state.tenant?.active === true,
        campaigns: campaigns.map((campaign, index) => ({
          ...campaign,
          sentToday: sentToday[index]!,
          pendingApprovals: pending.filter((approval) => approval.campaignId === campaign.id).length,
          halted: state.campaigns[campaign.id]?.active === true,
        })),
      };
    },

    consoleUrl: (approvalId) => consoleLink(services, approvalId),

    canary: (user, campaignId) => whenFound(() => canaryReport(services, user.tenantId, campaignId)),

    promoteCanary: (user, campaignId) =>
      decideCanary(user, campaignId, 'promoted', () => promoteCanary(services, raiseEvent, principalOf(user), campaignId, correlationId)),

    haltCanary: (user, campaignId) =>
      decideCanary(user, campaignId, 'halted', () => haltCanary(services, principalOf(user), campaignId, undefined, correlationId)),
  };

  /**
   * A refusal (409) changes nothing: the card shows how the canary stands, and says why unless it already stands
   * as asked (a second press, or someone else was quicker), which needs no explanation.
   */
  async function decideCanary(
    user: BotUser,
    campaignId: string,
    asked: CanaryReport['status'],
    decide: () => Promise<unknown>,
  ): Promise<CanaryDecision | undefined> {
    let refusal: string | undefined;
    try {
      await decide();
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 404) return undefined;
      if (!(error instanceof HttpProblem && error.status === 409)) throw error;
      refusal = error.detail;
    }
    const report = await whenFound(() => canaryReport(services, user.tenantId, campaignId));
    if (!report) return undefined;
    return refusal && report.status !== asked ? { report, refusal } : { report };
  }
}

async function whenFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HttpProblem && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * A count of sent touches without reading them (`Documents.query` returns whole records): beside their prospects,
 * and in the messages container for touches recorded before they moved there.
 */
async function countTouches(services: Services, tenantId: string, where: string, parameters: SqlParameter[]): Promise<number> {
  const counts = await Promise.all(
    [services.store.touches.container, services.store.messages.container].map(async (container) => {
      const { resources } = await container.items
        .query<number>({
          query: `SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenantId AND c.docType = 'message' AND c.direction = 'outbound' AND (${where})`,
          parameters: [{ name: '@tenantId', value: tenantId }, ...parameters],
        })
        .fetchAll();
      return resources.reduce((total, count) => total + count, 0);
    }),
  );
  return counts.reduce((total, count) => total + count, 0);
}
