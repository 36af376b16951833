import type { Role } from '@asep/shared/access/roles';
import type { Approval } from '@asep/shared/approvals/approval';
import type { KillSwitchChange, KillSwitchState } from '@asep/shared/killswitch/killswitch';
import type { ConversationReference } from 'botbuilder';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import type { KillSwitchCampaign } from '../cards/kill-switch-card';

/** Who sent an activity, as Teams tells it: the Entra tenant and object id, and a display name. */
export interface TeamsSender {
  tenantId?: string;
  aadObjectId?: string;
  name?: string;
}

/** A Teams user mapped onto their tenant's user record; a user the tenant has no record of has no roles. */
export interface BotUser {
  tenantId: string;
  userId: string;
  name: string;
  roles: readonly Role[];
}

/** Who is asking: the mapped user (undefined when Teams did not say), and their Teams id for card refreshes. */
export interface BotCaller {
  user: BotUser | undefined;
  viewerIds: readonly string[];
}

/** Where a conversation lives: a user's personal chat with the bot, or a team it was added to. */
export type ConversationPlace = { scope: 'personal' } | { scope: 'team'; teamId: string };

export interface ApprovalDecision {
  approved: boolean;
  reason?: string;
  stage?: string;
  amount?: number;
  /** For a reply review: the label confirmed or picked. */
  label?: 'positive' | 'neutral' | 'objection' | 'unsubscribe' | 'ooo' | 'bounce';
}

export interface KillSwitchView {
  state: KillSwitchState;
  campaigns: KillSwitchCampaign[];
}

/** What a Promote or Halt press came to: the canary as it now stands, and why nothing changed when it was refused. */
export interface CanaryDecision {
  report: CanaryReport;
  /**
   * Set when the decision could not be made (promoting while the campaign's kill switch is on, halting a
   * promoted canary, a stopped campaign); absent when it was made, or had already been made the same way.
   */
  refusal?: string;
}

export interface CampaignStatus {
  id: string;
  name: string;
  status: string;
  /** Emails this campaign sent since midnight UTC. */
  sentToday: number;
  pendingApprovals: number;
  halted: boolean;
}

export interface StatusReport {
  /** The UTC day the counts cover, `YYYY-MM-DD`. */
  day: string;
  allSendingStopped: boolean;
  campaigns: CampaignStatus[];
}

/**
 * Everything the bot needs from the backend. The Functions app implements it with the same functions the
 * HTTP API uses, so a card can do exactly what the API allows and nothing else; the bot itself knows
 * nothing of Cosmos, durable orchestrations or HTTP problems.
 */
export interface BotBackend {
  /** Undefined when Teams did not say who is asking (no tenant or no Entra object id). */
  identify(sender: TeamsSender): Promise<BotUser | undefined>;
  rememberConversation(user: BotUser, place: ConversationPlace, reference: Partial<ConversationReference>): Promise<void>;
  forgetConversation(user: BotUser, place: ConversationPlace): Promise<void>;
  /** Keeps where a card about an approval was posted, so the card can be updated once it is decided. */
  rememberApprovalCard(user: BotUser, place: ConversationPlace, approvalId: string, reference: Partial<ConversationReference>): Promise<void>;

  /** The pending approvals that expire first, at most `limit`, and how many are pending in all. */
  pendingApprovals(user: BotUser, limit: number): Promise<{ approvals: Approval[]; total: number }>;
  /** Undefined when the approval does not exist in the user's tenant. */
  approval(user: BotUser, approvalId: string): Promise<Approval | undefined>;
  /**
   * Decides once. Answers with the approval as it now stands, also when it had already been decided
   * (either way) or had expired: then nothing changes. Undefined when it does not exist.
   */
  decide(user: BotUser, approvalId: string, decision: ApprovalDecision): Promise<Approval | undefined>;

  killSwitch(user: BotUser): Promise<KillSwitchView>;
  /** Undefined when the change names a campaign that does not exist. */
  changeKillSwitch(user: BotUser, change: KillSwitchChange): Promise<KillSwitchView | undefined>;

  status(user: BotUser): Promise<StatusReport>;

  /** Undefined when the campaign does not exist in the user's tenant, or was not started with a canary. */
  canary(user: BotUser, campaignId: string): Promise<CanaryReport | undefined>;
  /** Starts everyone else's sequences, once. Undefined when there is no such canary. */
  promoteCanary(user: BotUser, campaignId: string): Promise<CanaryDecision | undefined>;
  /** Turns the campaign's kill switch on, once. Undefined when there is no such canary. */
  haltCanary(user: BotUser, campaignId: string): Promise<CanaryDecision | undefined>;

  /** The console page for an approval, or the console itself. */
  consoleUrl(approvalId?: string): string;
}
