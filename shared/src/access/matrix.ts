import type { Role } from './roles';

/**
 * Every governed action and the roles that may take it. The HTTP API, the Teams bot and the console all
 * ask this one table, so a role can never do from a card what it cannot do through the API.
 */
export const permissionMatrix = {
  'profile.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator', 'Auditor'],
  'prospects.import': ['Owner', 'Admin', 'RevOps'],
  'prospects.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'campaigns.write': ['Owner', 'Admin', 'RevOps'],
  'campaigns.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'campaigns.run': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'approvals.read': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'approvals.decide': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'killswitch.tenant': ['Owner', 'Admin'],
  'killswitch.campaign': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'killswitch.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator', 'Auditor'],
  'policies.read': ['Owner', 'Admin', 'Auditor'],
  'policies.write': ['Owner', 'Admin'],
  'policies.test': ['Owner', 'Admin', 'RevOps'],
  'audit.read': ['Owner', 'Admin', 'Auditor'],
  'insights.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'replies.correct': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'reps.write': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'bookings.write': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'deals.read': ['Owner', 'Admin', 'RevOps', 'Manager', 'Operator'],
  'deals.write': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'reports.read': ['Owner', 'Admin', 'RevOps', 'Manager'],
  'integrations.manage': ['Owner', 'Admin'],
  'ops.read': ['Owner', 'Admin'],
  'tenant.offboard': ['Owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionMatrix;

export function isAllowed(userRoles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = permissionMatrix[permission];
  return userRoles.some((role) => allowed.includes(role));
}
