import type { Role } from '@asep/shared/access/roles';

export interface DemoUser {
  userId: string;
  name: string;
  roles: Role[];
}

/** The local suite's demo tenant and its users, one per role: local/src/seed.ts (a test keeps the two in step). */
export const demoTenantId = '00000000-0000-4000-8000-000000000001';

export const demoUsers: readonly DemoUser[] = [
  { userId: '00000000-0000-4000-8000-00000000a001', name: 'Olivia Owner', roles: ['Owner'] },
  { userId: '00000000-0000-4000-8000-00000000a002', name: 'Adam Admin', roles: ['Admin'] },
  { userId: '00000000-0000-4000-8000-00000000a003', name: 'Rita RevOps', roles: ['RevOps'] },
  { userId: '00000000-0000-4000-8000-00000000a004', name: 'Max Manager', roles: ['Manager'] },
  { userId: '00000000-0000-4000-8000-00000000a005', name: 'Oscar Operator', roles: ['Operator'] },
  { userId: '00000000-0000-4000-8000-00000000a006', name: 'Ada Auditor', roles: ['Auditor'] },
];

/** The console is the managers' tool: a plain browser signs in as the demo Manager unless asked otherwise. */
export const defaultDemoRole: Role = 'Manager';

/** The demo user holding a role, matched case-insensitively (`?devRole=admin`). */
export function demoUserWithRole(role: string): DemoUser | undefined {
  const wanted = role.toLowerCase();
  return demoUsers.find((user) => user.roles.some((held) => held.toLowerCase() === wanted));
}
