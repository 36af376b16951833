import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@asep/shared/audit/event';
import { AuditLog } from '../../functions/src/audit/audit-log';
import { AdjustableClock } from '../../functions/src/clock/clock';
import { createCosmosClient, ensureDatabase } from '../../functions/src/store/cosmos';
import { CosmosRequestTap } from '../../functions/src/store/request-tap';
import { createStore } from '../../functions/src/store/store';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '../../local/src/cosmos-emulator';

const tenantId = '5a0d1c2e-0000-4000-8000-0000000a0d17';
const otherTenant = '5a0d1c2e-0000-4000-8000-0000000b0d17';

let emulator: RunningEmulator;
let database = 0;
let tap: CosmosRequestTap;
let audit: AuditLog;
/** A second process writing the same chain: its own AuditLog over its own client. */
let otherProcess: AuditLog;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.close());

beforeEach(async () => {
  database += 1;
  const databaseId = `audit-together-${database}`;
  tap = new CosmosRequestTap();
  const clock = new AdjustableClock();
  const client = createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId }, tap.observer('app'));
  audit = new AuditLog(createStore(await ensureDatabase(client, databaseId)).auditContainer, clock);
  const other = createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId });
  otherProcess = new AuditLog(createStore(await ensureDatabase(other, databaseId)).auditContainer, clock);
});

const entry = (key: string): AuditEntry => ({
  actor: { type: 'system', id: 'test' },
  type: 'test.event',
  correlationId: 'c-1',
  idempotencyKey: key,
  payload: { key },
});

const keysOf = async (log: AuditLog, tenant = tenantId) => (await log.all(tenant)).map((event) => event.idempotencyKey);

describe('the events of one outcome are appended together', () => {
  it('three events appended within one piece of work cost one request and keep their order', async () => {
    await audit.append(tenantId, entry('before'));
    const before = tap.tally('app');

    const answer = await audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('classified'));
      await audit.append(tenantId, entry('suppressed'));
      await audit.append(tenantId, entry('deal'));
      return 'done';
    });

    expect(answer).toBe('done');
    expect(tap.since('app', before).requests).toBe(1);
    expect(await keysOf(audit)).toEqual(['before', 'classified', 'suppressed', 'deal']);
    expect((await audit.verify(tenantId)).valid).toBe(true);
  });

  it('work that fails part way still leaves what it audited in the chain', async () => {
    const work = audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('suppressed'));
      await audit.append(tenantId, entry('stopped'));
      throw new Error('the CRM is down');
    });

    await expect(work).rejects.toThrow('the CRM is down');
    expect(await keysOf(audit)).toEqual(['suppressed', 'stopped']);
  });

  it('work run again after a crash appends only what is not in the chain yet, once', async () => {
    await audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('classified'));
    });

    await audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('classified'));
      await audit.append(tenantId, entry('deal'));
    });

    expect(await keysOf(audit)).toEqual(['classified', 'deal']);
    expect((await audit.verify(tenantId)).valid).toBe(true);
  });

  it('another process appending meanwhile takes its links; the held events follow, none lost, none forked', async () => {
    await audit.append(tenantId, entry('first'));

    await audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('held-1'));
      await otherProcess.append(tenantId, entry('elsewhere'));
      await audit.append(tenantId, entry('held-2'));
    });

    expect(await keysOf(audit)).toEqual(['first', 'elsewhere', 'held-1', 'held-2']);
    expect((await audit.verify(tenantId)).valid).toBe(true);
  });

  it("another tenant's events are not held: they are in its chain at once", async () => {
    await audit.together(tenantId, async () => {
      await audit.append(tenantId, entry('held'));
      await audit.append(otherTenant, entry('theirs'));
      expect(await keysOf(audit, otherTenant)).toEqual(['theirs']);
      expect(await keysOf(audit)).toEqual([]);
    });

    expect(await keysOf(audit)).toEqual(['held']);
  });
});
