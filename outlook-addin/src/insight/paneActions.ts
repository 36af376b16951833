import { isAllowed, type Permission } from '@asep/shared/access/matrix';
import type { Role } from '@asep/shared/access/roles';
import type { MessageInsight } from '@asep/shared/insights/insight';

export type PaneAction = 'correctLabel' | 'suppressContact' | 'logToCrm' | 'approveDealCreation' | 'addProspect' | 'bookMeeting' | 'changeMeeting';

/**
 * The permission each button needs, from the shared matrix the API enforces. Suppressing, logging and adding
 * a sender are a rep's own follow-up on a reply, so they ride on `replies.correct` until the matrix names them.
 */
const requiredPermission: Record<PaneAction, Permission> = {
  correctLabel: 'replies.correct',
  suppressContact: 'replies.correct',
  logToCrm: 'replies.correct',
  addProspect: 'replies.correct',
  approveDealCreation: 'approvals.decide',
  bookMeeting: 'bookings.write',
  changeMeeting: 'bookings.write',
};

/** Labels after which nobody should be offered a meeting. */
const noMeetingLabels: ReadonlySet<MessageInsight['classification']['label']> = new Set(['unsubscribe', 'bounce']);

/** The buttons to show for a reply the service knows, given the rep's roles. */
export function actionsForInsight(roles: readonly Role[], insight: MessageInsight): PaneAction[] {
  const applicable: PaneAction[] = ['correctLabel'];
  if (insight.prospect) {
    applicable.push('suppressContact', 'logToCrm');
    // A booked meeting can always be moved or called off, whatever the reply turned out to be.
    if (insight.booking) applicable.push('changeMeeting');
    else if (!noMeetingLabels.has(insight.classification.label)) applicable.push('bookMeeting');
  } else {
    applicable.push('addProspect');
  }
  if (insight.pendingDealApprovalId) applicable.push('approveDealCreation');
  return applicable.filter((action) => isAllowed(roles, requiredPermission[action]));
}

/** For an email from someone the service does not know: adding them is the only action. */
export function actionsForUnknownSender(roles: readonly Role[], hasSender: boolean): PaneAction[] {
  return hasSender && isAllowed(roles, requiredPermission.addProspect) ? ['addProspect'] : [];
}
