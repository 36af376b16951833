import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '@asep/shared/access/roles';
import { isAllowed } from '@asep/shared/access/matrix';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { apiRoutes } from '../../functions/src/http/api';
import { call, signIn } from '../support/suite';

let suite: LocalSuite;
beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-roles-')), reset: true, seed: false, log: () => undefined });
});
afterAll(async () => suite?.close());

describe('the role matrix', () => {
  it('is enforced on every route for every role, by the one table in shared/', async () => {
    expect(apiRoutes.length).toBeGreaterThan(20);
    const tenantId = '22222222-3333-4444-8555-666666666666';
    const people = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await signIn(suite.baseUrl, tenantId, [role])] as const)));
    const mismatches: string[] = [];
    for (const route of apiRoutes) {
      const path = route.route.replace(/\{(\w+)\??\}/g, 'x');
      for (const method of route.methods) {
        for (const role of roles) {
          const response = await call(suite.baseUrl, method, path, { token: people[role]!.token, ...(method === 'GET' ? {} : { json: {} }) });
          const refused = response.status === 403;
          if (refused === isAllowed([role], route.permission)) mismatches.push(`${role} ${method} /api/${path}: ${response.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('tells a caller which permissions their roles carry', async () => {
    const auditor = await signIn(suite.baseUrl, '22222222-3333-4444-8555-666666666666', ['Auditor']);
    const me = await call(suite.baseUrl, 'GET', 'v1/me', { token: auditor.token });
    expect(me.body.roles).toEqual(['Auditor']);
    expect(me.body.permissions).toContain('audit.read');
    expect(me.body.permissions).not.toContain('approvals.decide');
  });
});
