import { isAllowed, type Permission, permissionMatrix } from '@asep/shared/access/matrix';
import type { Role } from '@asep/shared/access/roles';
import { type CardActionData, permissionFor } from './actions';
import type { CardButton, CardElement } from './elements';
import { ourText } from './elements';

/**
 * Cards show each viewer only the buttons their roles allow (the same matrix the API and the bot check), and say
 * which are missing and why, so nobody types a reason only to be refused.
 */

/** Who a card is built for. Without roles (a card posted to a team channel) every button shows; the bot checks each press. */
export interface CardViewer {
  viewerRoles?: readonly Role[];
}

/** What each permission lets someone do, phrased to follow "You can't …". */
const permissionPhrases: Record<Permission, string> = {
  'prospects.import': 'import prospects',
  'prospects.read': 'see prospects',
  'campaigns.write': 'create or edit campaigns',
  'campaigns.read': 'see campaigns',
  'campaigns.run': 'start, stop, promote or halt campaigns',
  'approvals.read': 'see approvals',
  'approvals.decide': 'approve or reject',
  'killswitch.tenant': 'turn the kill switch for all sending on or off',
  'killswitch.campaign': "turn a campaign's kill switch on or off",
  'killswitch.read': 'see the kill switches',
  'policies.read': 'see the policies',
  'policies.write': 'change the policies',
  'policies.test': 'test the policies',
  'audit.read': 'read the audit log',
  'insights.read': 'see email insights',
  'replies.correct': 'correct reply labels',
  'reps.write': "change reps' hours, zones and signatures",
  'bookings.write': 'book meetings',
  'deals.read': 'see deals',
  'deals.write': 'mark deals won or lost, or change their amount',
  'reports.read': 'see reports',
  'profile.read': 'see your profile',
  'ops.read': 'see the service status',
  'tenant.offboard': 'offboard the tenant',
  'integrations.manage': 'connect integrations',
};

/** "You can't approve or reject." */
export function refusalOf(permission: Permission): string {
  return `You can't ${permissionPhrases[permission]}.`;
}

/** The roles that may, as a list: "Owner, Admin". */
export function rolesFor(permission: Permission): string {
  return permissionMatrix[permission].join(', ');
}

export function mayPress(viewer: CardViewer, data: CardActionData): boolean {
  return viewer.viewerRoles === undefined || isAllowed(viewer.viewerRoles, permissionFor(data));
}

/** A line for buttons left off a card: what the viewer can't do, and who can. */
export function absentNote(permissions: readonly Permission[]): CardElement[] {
  const unique = [...new Set(permissions)];
  if (unique.length === 0) return [];
  const lines = unique.map((permission) => `${refusalOf(permission).replace(/\.$/, '')} here: that needs ${rolesFor(permission)}.`);
  return ourText(lines.join('\n\n'), { isSubtle: true, spacing: 'medium' });
}

/** The card-level buttons the viewer may press, and the note about those left off. */
export function buttonsFor(viewer: CardViewer, buttons: readonly CardButton[]): { actions: CardButton[]; absent: CardElement[] } {
  const withheld: Permission[] = [];
  const actions = buttons.filter((button) => {
    const presses = pressesOf(button);
    const allowed = presses.filter((data) => mayPress(viewer, data));
    if (presses.length > 0 && allowed.length === 0) withheld.push(...presses.map(permissionFor));
    return presses.length === 0 || allowed.length > 0;
  });
  return { actions, absent: absentNote(withheld) };
}

/** The presses a button can lead to: its own, or those of the card it shows. Links lead to none. */
function pressesOf(button: CardButton): CardActionData[] {
  switch (button.type) {
    case 'Action.Execute':
      return [button.data];
    case 'Action.ShowCard':
      return button.card.actions.flatMap(pressesOf);
    case 'Action.OpenUrl':
      return [];
  }
}
