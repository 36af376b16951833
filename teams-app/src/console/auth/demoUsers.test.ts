import { describe, expect, it } from 'vitest';
import { demoTenant } from '@asep/local/seed';
import { demoTenantId, demoUsers, demoUserWithRole } from './demoUsers';

describe('demo users', () => {
  it('are the users the local suite seeds', () => {
    expect(demoTenantId).toBe(demoTenant.tenantId);
    expect(demoUsers).toEqual(demoTenant.users.map(({ userId, name, roles }) => ({ userId, name, roles })));
  });

  it('are found by role whatever its case', () => {
    expect(demoUserWithRole('admin')?.name).toBe('Adam Admin');
    expect(demoUserWithRole('Boss')).toBeUndefined();
  });
});
