import { isAllowed, type Permission } from '@asep/shared/access/matrix';
import { buildApprovalCard } from '../cards/approval-card';
import type { AdaptiveCard } from '../cards/elements';
import { buildKillSwitchCard } from '../cards/kill-switch-card';
import { buildErrorCard, buildHelpCard, buildNotAllowedCard } from '../cards/message-cards';
import type { BotBackend, BotCaller, BotUser } from './backend';
import { unidentifiedCallerProblem } from './card-actions';
import { type BotCommand, parseCommand } from './commands';
import { buildStatusCard } from './status-card';

/** One message of an answer; an approval card names its approval so the bot can update it once decided. */
export type BotReply = { text: string } | { card: AdaptiveCard; approvalId?: string };

/** Teams takes about 7 messages a second in one conversation: `pending` sends this many cards at most. */
export const maxPendingCards = 10;

const permissions: Record<Exclude<BotCommand, 'help'>, Permission> = {
  pending: 'approvals.read',
  status: 'campaigns.read',
  'kill switch': 'killswitch.read',
};

/** What the bot answers to a text message, as the messages to send in order. */
export async function answerCommand(backend: BotBackend, caller: BotCaller, text: string | undefined): Promise<BotReply[]> {
  const parsed = parseCommand(text);
  if (parsed.command === 'unrecognised') return [{ card: buildHelpCard({ unrecognised: parsed.text }) }];
  if (parsed.command === 'help') return [{ card: buildHelpCard() }];
  const { user } = caller;
  if (!user) return [{ card: buildErrorCard(unidentifiedCallerProblem) }];
  const permission = permissions[parsed.command];
  if (!isAllowed(user.roles, permission)) return [{ card: buildNotAllowedCard(permission) }];
  const audience = { refreshUserIds: caller.viewerIds, viewerRoles: user.roles };
  switch (parsed.command) {
    case 'pending':
      return pendingReplies(backend, user, audience);
    case 'status':
      return [{ card: buildStatusCard(await backend.status(user), backend.consoleUrl()) }];
    case 'kill switch': {
      const view = await backend.killSwitch(user);
      return [{ card: buildKillSwitchCard(view.state, { campaigns: view.campaigns, ...audience }) }];
    }
  }
}

async function pendingReplies(
  backend: BotBackend,
  user: BotUser,
  audience: { refreshUserIds: readonly string[]; viewerRoles: BotUser['roles'] },
): Promise<BotReply[]> {
  const { approvals, total } = await backend.pendingApprovals(user, maxPendingCards);
  if (total === 0) return [{ text: 'Nothing is waiting for a decision.' }];
  const count = total === 1 ? '**1** approval is waiting for a decision' : `**${total}** approvals are waiting for a decision`;
  const rest =
    total > approvals.length ? `; here are the ${approvals.length} that expire first. The rest are in the console: ${backend.consoleUrl()}` : '.';
  return [
    { text: count + rest },
    ...approvals.map((approval) => ({
      card: buildApprovalCard(approval, { consoleUrl: backend.consoleUrl(approval.id), ...audience }),
      approvalId: approval.id,
    })),
  ];
}
