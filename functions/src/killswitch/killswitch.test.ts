import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillSwitchChange } from '@asep/shared/killswitch/killswitch';
import { startLocalSuite, type LocalSuite } from '../../../local/src/start';
import { call, eventually, signIn } from '../../../tests/support/suite';
import type { Principal } from '../identity/principal';

let suite: LocalSuite;

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-release-')), reset: true, seed: false, log: () => undefined });
});
afterAll(() => suite?.close());

const on: KillSwitchChange = { scope: 'tenant', active: true, reason: 'incident' };
const off: KillSwitchChange = { scope: 'tenant', active: false, reason: 'incident over', release: 'resume' };

/** A fresh tenant with its tenant switch on, and a durable client that counts the orchestrations it starts. */
async function tenantWithSwitchOn() {
  const tenantId = randomUUID();
  const admin = await signIn(suite.baseUrl, tenantId, ['Admin'], 'Ada Admin');
  // Turned on over the API, as a person would: their first request provisions the tenant.
  expect((await call(suite.baseUrl, 'PUT', 'v1/killswitch', { token: admin.token, json: on })).status).toBe(200);
  const principal: Principal = { tenantId, userId: 'user-ada', name: 'Ada Admin', roles: ['Admin'] };
  // Imported only now: the module must register its activities after the local host is in place.
  const { changeKillSwitch } = await import('./killswitch');
  const host = suite.services.durableHost.directClient();
  const started: string[] = [];
  const counting = {
    ...host,
    startNew: async (name: string, options?: { instanceId?: string; input?: unknown }) => {
      const id = await host.startNew(name, options);
      started.push(id);
      return id;
    },
  };
  const releasedEvents = async () => (await suite.services.audit.all(tenantId)).filter((event) => event.type === 'killswitch.released');
  return { principal, host, counting, started, changeKillSwitch, releasedEvents };
}

describe('releasing a kill switch', () => {
  it('starts the release a broken-off request saved but never started, when the same release is asked again, and only once', async () => {
    const { principal, host, counting, started, changeKillSwitch, releasedEvents } = await tenantWithSwitchOn();
    const breaksOff = { ...host, startNew: () => Promise.reject(new Error('connection reset')) };
    await expect(changeKillSwitch(suite.services, breaksOff, principal, off, randomUUID())).rejects.toThrow('connection reset');

    const retried = await changeKillSwitch(suite.services, counting, principal, off, randomUUID());
    expect(retried.tenant).toMatchObject({ active: false, resumption: { done: false } });
    expect(started).toEqual([retried.tenant!.resumption!.releaseId]);
    await eventually(async () => ((await releasedEvents()).length > 0 ? true : undefined), 'the release to finish');

    await changeKillSwitch(suite.services, counting, principal, off, randomUUID());
    expect(started).toHaveLength(1);
    expect((await releasedEvents()).map((event) => event.payload)).toEqual([expect.objectContaining({ release: 'resume', sequencesResumed: 0 })]);
  });

  it('runs one release when two people turn the switch off at the same moment', async () => {
    const { principal, counting, started, changeKillSwitch, releasedEvents } = await tenantWithSwitchOn();

    const [first, second] = await Promise.all([
      changeKillSwitch(suite.services, counting, principal, off, randomUUID()),
      changeKillSwitch(suite.services, counting, principal, off, randomUUID()),
    ]);

    expect(first.tenant!.resumption!.releaseId).toBe(second.tenant!.resumption!.releaseId);
    expect(started).toEqual([first.tenant!.resumption!.releaseId]);
    await eventually(async () => ((await releasedEvents()).length > 0 ? true : undefined), 'the release to finish');
    expect(await releasedEvents()).toHaveLength(1);
  });

  it('starts a release that failed again when the same release is asked again', async () => {
    const { principal, host, counting, started, changeKillSwitch, releasedEvents } = await tenantWithSwitchOn();
    const first = await changeKillSwitch(suite.services, counting, principal, off, randomUUID());
    const releaseId = first.tenant!.resumption!.releaseId;
    await host.terminate(releaseId, 'the host went away');

    await changeKillSwitch(suite.services, counting, principal, off, randomUUID());

    expect(started).toEqual([releaseId, releaseId]);
    await eventually(async () => ((await releasedEvents()).length > 0 ? true : undefined), 'the release started again to finish');
  });
});
