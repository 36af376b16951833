import { isAllowed } from '@asep/shared/access/matrix';
import type { Approval } from '@asep/shared/approvals/approval';
import { type ApprovalDecisionName, type CardAction, isApprovalDecision, killSwitchChangeOf, parseCardAction, permissionFor } from '../cards/actions';
import { buildApprovalCard } from '../cards/approval-card';
import { buildCanaryCard } from '../cards/canary-card';
import { type AdaptiveCard, plainText, type RefreshAudience, textLimits } from '../cards/elements';
import { buildKillSwitchCard, buildKillSwitchConfirmCard } from '../cards/kill-switch-card';
import { buildErrorCard, buildNotAllowedCard, buildNotFoundCard } from '../cards/message-cards';
import { type CardViewer, refusalOf, rolesFor } from '../cards/viewer';
import type { ApprovalDecision, BotBackend, BotCaller, BotUser, CanaryDecision } from './backend';

type DecisionAction = Extract<CardAction, { action: ApprovalDecisionName }>;

/** Which approvals each family of buttons may decide. */
function buttonFits(kind: Approval['kind'], action: DecisionAction['action']): boolean {
  if (action.startsWith('deal.')) return kind === 'deal_create';
  if (action.startsWith('reply.')) return kind === 'reply_review';
  return kind !== 'deal_create' && kind !== 'reply_review';
}

export const unidentifiedCallerProblem = 'Teams did not say who you are (no tenant or Entra object id), so nothing was done.';

/**
 * The card that answers an `Action.Execute` press: it replaces the pressed card for the person who pressed it.
 * The data is parsed, never trusted; the caller's roles are checked against the same matrix as the API before
 * anything happens; then the action goes through the backend. Repeated or late presses show the current state.
 */
export async function answerCardAction(backend: BotBackend, caller: BotCaller, data: unknown): Promise<AdaptiveCard> {
  const parsed = parseCardAction(data);
  if (!parsed.ok) return buildErrorCard(`That button sent something I can't use (${parsed.error}). Nothing was changed.`);
  const { user } = caller;
  if (!user) return buildErrorCard(unidentifiedCallerProblem);
  const action = parsed.action;
  const audience = { refreshUserIds: caller.viewerIds, viewerRoles: user.roles };
  const permission = permissionFor(action);
  if (!isAllowed(user.roles, permission)) {
    // The refusal goes above the card as it stands for this viewer, so its other controls stay in reach.
    const current = await cardAsItStands(backend, user, action, audience);
    return current
      ? withNotice(current, `${refusalOf(permission)} That needs one of these roles: ${rolesFor(permission)}. Nothing was changed.`)
      : buildNotAllowedCard(permission);
  }

  const approvalCard = (approval: Approval) => buildApprovalCard(approval, { consoleUrl: backend.consoleUrl(approval.id), ...audience });
  if (isApprovalDecision(action)) {
    const current = await backend.approval(user, action.approvalId);
    if (!current) return buildNotFoundCard('approval');
    if (!buttonFits(current.kind, action.action)) {
      return buildErrorCard(`That button does not fit this approval (${current.kind.replace('_', ' ')}). Nothing was changed.`);
    }
    const decided = await backend.decide(user, action.approvalId, decisionOf(action));
    return decided ? approvalCard(decided) : buildNotFoundCard('approval');
  }
  switch (action.action) {
    case 'refresh':
    case 'killswitch.refresh':
    case 'canary.refresh':
      return (await cardAsItStands(backend, user, action, audience))!;
    case 'killswitch.request': {
      const change = killSwitchChangeOf(action);
      if (change.scope === 'tenant') return buildKillSwitchConfirmCard(change);
      const campaign = (await backend.killSwitch(user)).campaigns.find((candidate) => candidate.id === change.campaignId);
      return campaign ? buildKillSwitchConfirmCard(change, { campaignName: campaign.name }) : buildNotFoundCard('campaign');
    }
    case 'killswitch.confirm': {
      const view = await backend.changeKillSwitch(user, killSwitchChangeOf(action));
      return view ? buildKillSwitchCard(view.state, { campaigns: view.campaigns, ...audience }) : buildNotFoundCard('campaign');
    }
    case 'canary.promote':
    case 'canary.halt': {
      const decision =
        action.action === 'canary.promote' ? await backend.promoteCanary(user, action.campaignId) : await backend.haltCanary(user, action.campaignId);
      return decision ? canaryCard(decision, audience) : buildNotFoundCard('campaign');
    }
  }
}

type Audience = RefreshAudience & CardViewer;

/**
 * The card an action came from, as it now stands for this viewer: the approval, the kill switches or the canary.
 * Undefined when the viewer may not see it; a "not found" card when it no longer exists.
 */
async function cardAsItStands(backend: BotBackend, user: BotUser, action: CardAction, audience: Audience): Promise<AdaptiveCard | undefined> {
  switch (action.action) {
    case 'approval.approve':
    case 'approval.reject':
    case 'deal.create':
    case 'deal.skip':
    case 'refresh': {
      if (!isAllowed(user.roles, 'approvals.read')) return undefined;
      const approval = await backend.approval(user, action.approvalId);
      return approval ? buildApprovalCard(approval, { consoleUrl: backend.consoleUrl(approval.id), ...audience }) : buildNotFoundCard('approval');
    }
    case 'killswitch.request':
    case 'killswitch.confirm':
    case 'killswitch.refresh': {
      if (!isAllowed(user.roles, 'killswitch.read')) return undefined;
      const view = await backend.killSwitch(user);
      return buildKillSwitchCard(view.state, { campaigns: view.campaigns, ...audience });
    }
    case 'canary.promote':
    case 'canary.halt':
    case 'canary.refresh': {
      if (!isAllowed(user.roles, 'campaigns.read')) return undefined;
      const report = await backend.canary(user, action.campaignId);
      return report ? buildCanaryCard(report, audience) : buildNotFoundCard('campaign');
    }
  }
}

/** The canary as it stands; a refused press says why above it, in the backend's words (they name the campaign, so verbatim). */
function canaryCard({ report, refusal }: CanaryDecision, audience: Audience): AdaptiveCard {
  const card = buildCanaryCard(report, audience);
  return refusal ? withNotice(card, refusal) : card;
}

/** `notice` in bold above the card's own content. */
function withNotice(card: AdaptiveCard, notice: string): AdaptiveCard {
  return { ...card, body: [...plainText(notice, textLimits.excerpt, { color: 'attention', weight: 'bolder' }), ...card.body] };
}

function decisionOf(action: DecisionAction): ApprovalDecision {
  switch (action.action) {
    case 'approval.approve':
      return { approved: true };
    case 'approval.reject':
      return { approved: false, reason: action.reason };
    case 'deal.create':
      return { approved: true, stage: action.stage, ...(action.amount !== undefined && { amount: action.amount }) };
    case 'deal.skip':
    case 'reply.dismiss':
      return { approved: false };
    case 'reply.confirm':
      return { approved: true, label: action.label };
  }
}
