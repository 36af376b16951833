import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '@asep/shared/access/roles';
import { apiRoutes } from '../../functions/src/http/api';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { sendAtAnyHour, twoStepSequence } from '../support/governed-loop';
import { eventually, signIn, type Person } from '../support/suite';

/**
 * Every state-changing route is called twice with exactly the same headers (one fixed `x-correlation-id`, as a
 * client that reuses it, or an attacker who wants the second change unaudited, would send). Each effective change
 * must leave exactly one audit event; a repeat that changes nothing leaves none; the chain stays valid.
 */
const sameHeaders = { 'x-correlation-id': 'one-correlation-id-for-everything' };

let suite: LocalSuite;
let owner: Person;
const tenantId = '88888888-3333-4444-8555-666666666666';

beforeAll(async () => {
  suite = await startLocalSuite({
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'asep-audit-twice-')),
    reset: true,
    seed: false,
    log: () => undefined,
  });
  owner = await signIn(suite.baseUrl, tenantId, [...roles], 'Olive Owner');
  await sendAtAnyHour(suite.baseUrl, owner);
});
afterAll(async () => suite?.close());

async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${suite.baseUrl}/api/${path}`, {
    method,
    headers: { authorization: `Bearer ${owner.token}`, ...sameHeaders, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    location: response.headers.get('location'),
  };
}

/** Follows a 202's Location until what it reports is done: the audit event of such a change comes at its end. */
async function settled(response: { status: number; location: string | null }): Promise<void> {
  if (response.status !== 202 || !response.location) return;
  const path = response.location.replace(/^\/api\//, '');
  await eventually(async () => ((await send('GET', path)).body.done === true ? true : undefined), `${path} to be done`);
}

async function auditTypes(): Promise<string[]> {
  const events = (await send('GET', 'v1/audit?limit=1000')).body as { type: string }[];
  return events.map((event) => event.type);
}

/**
 * Calls `request` twice and answers the audit events each call added, by type. With `settle`, each call's answer is
 * waited on by it first (a change finished in the background).
 */
async function twice<R extends { status: number }>(
  request: () => Promise<R>,
  settle?: (response: R) => Promise<void>,
): Promise<{ statuses: number[]; added: string[][] }> {
  const statuses: number[] = [];
  const added: string[][] = [];
  for (let call = 0; call < 2; call += 1) {
    const before = await auditTypes();
    const response = await request();
    await settle?.(response);
    statuses.push(response.status);
    // Some routes finish their audit after answering (an orchestration); give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 150));
    added.push((await auditTypes()).slice(before.length));
  }
  return { statuses, added };
}

const covered = new Set<string>();
const cover = (method: string, route: string) => covered.add(`${method} ${route}`);

/** Mutating routes that change nothing here, and why. */
const changeNothingLocally: Record<string, string> = {
  'POST v1/policies/test': 'a dry run: evaluates a policy, stores nothing',
  'POST v1/integrations/hubspot/connect': 'no HubSpot app is configured in the local suite (404); it only starts an OAuth round trip',
  'PUT v1/integrations/hubspot/deal-stages': 'no HubSpot app is configured in the local suite (404)',
  'PUT v1/integrations/openai': 'its test call cannot reach an Azure OpenAI deployment from the local suite, so nothing is saved (422)',
  'POST v1/tenant/offboard': 'deletes the tenant, its audit log included; tests/e2e/offboarding covers its own record',
};

describe('audit that cannot be skipped', () => {
  it('records every effective change of every mutating route once, whatever headers repeat', async () => {
    const csv = 'email,first_name,company\nada@one.example,Ada,One\nbo@two.example,Bo,Two\ncy@three.example,Cy,Three\ndee@four.example,Dee,Four';
    let result = await twice(() => send('POST', 'v1/prospects/import', csv, 'text/csv'));
    expect(result.added).toEqual([['prospects.imported'], ['prospects.imported']]);
    cover('POST', 'v1/prospects/import');

    result = await twice(() => send('PUT', 'v1/prospects/import/mapping', { columns: { 'Account Name': 'company', Notes: null } }));
    expect(result.added).toEqual([['prospects.importMappingSaved'], []]);
    cover('PUT', 'v1/prospects/import/mapping');

    result = await twice(() => send('POST', 'v1/prospects', { email: 'eve@five.example', firstName: 'Eve', company: 'Five' }));
    expect(result.added).toEqual([['prospects.imported'], ['prospects.imported']]);
    cover('POST', 'v1/prospects');

    result = await twice(() => send('POST', 'v1/suppressions', { email: 'nobody@six.example', reason: 'asked by phone' }));
    expect(result.added).toEqual([['suppression.added'], []]);
    cover('POST', 'v1/suppressions');

    const campaignBody = { name: 'Twice', mailbox: 'seller@tenant.example', sequence: twoStepSequence };
    const created: string[] = [];
    result = await twice(async () => {
      const response = await send('POST', 'v1/campaigns', campaignBody);
      created.push(response.body.id);
      return response;
    });
    expect(result.added).toEqual([['campaign.created'], ['campaign.created']]);
    expect(new Set(created).size).toBe(2);
    cover('POST', 'v1/campaigns');
    const [campaignId, canaryCampaignId] = created as [string, string];

    const prospects = (await send('GET', 'v1/prospects')).body as { id: string; email: string }[];
    const ids = prospects.filter((prospect) => prospect.email !== 'eve@five.example').map((prospect) => prospect.id);
    result = await twice(() => send('POST', `v1/campaigns/${campaignId}/prospects`, { prospectIds: ids.slice(0, 2) }));
    expect(result.added).toEqual([['campaign.enrolled'], []]);
    cover('POST', 'v1/campaigns/{id}/prospects');
    await send('POST', `v1/campaigns/${canaryCampaignId}/prospects`, { prospectIds: ids.slice(2) });

    const policy = (await send('GET', 'v1/policies')).body;
    let version = policy.version as number;
    result = await twice(async () => {
      const response = await send('PUT', 'v1/policies', {
        rules: { ...policy.rules, approvals: { ...policy.rules.approvals, expiryHours: 40 + version } },
        version,
      });
      version += 1;
      return response;
    });
    expect(result.added).toEqual([['policy.updated'], ['policy.updated']]);
    cover('PUT', 'v1/policies');

    result = await twice(() => send('POST', `v1/campaigns/${campaignId}/start`, {}));
    expect(result.added[0]).toContain('campaign.started');
    expect(result.added[1]).not.toContain('campaign.started');
    cover('POST', 'v1/campaigns/{id}/start');

    const pending = await eventually(async () => {
      const list = (await send('GET', 'v1/approvals?status=pending')).body as { id: string; to: string }[];
      return list.length >= 2 ? list : undefined;
    }, 'two approvals');
    result = await twice(() => send('POST', `v1/approvals/${pending[0]!.id}/approve`, {}));
    expect(result.added.map((events) => events.filter((type) => type === 'approval.approved').length)).toEqual([1, 0]);
    cover('POST', 'v1/approvals/{id}/approve');
    result = await twice(() => send('POST', `v1/approvals/${pending[1]!.id}/reject`, { reason: 'not now' }));
    expect(result.added.map((events) => events.filter((type) => type === 'approval.rejected').length)).toEqual([1, 0]);
    cover('POST', 'v1/approvals/{id}/reject');

    // Asking for a new draft cancels the approval once; asking again for the same approval answers the same and changes nothing.
    const researched = await send('POST', 'v1/campaigns', { ...campaignBody, name: 'Researched', drafting: { mode: 'researched' } });
    const eve = prospects.find((prospect) => prospect.email === 'eve@five.example')!;
    await send('POST', `v1/campaigns/${researched.body.id}/prospects`, { prospectIds: [eve.id] });
    await send('POST', `v1/campaigns/${researched.body.id}/start`, {});
    const drafted = await eventually(async () => {
      const list = (await send('GET', 'v1/approvals?status=pending')).body as { id: string; to: string }[];
      return list.find((approval) => approval.to === eve.email);
    }, 'a drafted approval');
    result = await twice(() => send('POST', `v1/approvals/${drafted.id}/regenerate`, {}));
    expect(result.statuses).toEqual([202, 202]);
    expect(result.added.map((events) => events.filter((type) => type === 'approval.regenerated').length)).toEqual([1, 0]);
    cover('POST', 'v1/approvals/{id}/regenerate');

    // The case: the same header turns the tenant switch on, then off; both are changes, both are audited.
    const on = { scope: 'tenant', active: true, reason: 'incident 42' };
    const off = { scope: 'tenant', active: false, reason: 'incident 42 resolved' };
    result = await twice(() => send('PUT', 'v1/killswitch', on));
    expect(result.added).toEqual([['killswitch.activated'], []]);
    // Turned off, the switch resumes its held sequences in the background and audits the count when that is done.
    result = await twice(() => send('PUT', 'v1/killswitch', off), settled);
    expect(result.statuses).toEqual([202, 200]);
    expect(result.added).toEqual([['killswitch.released'], []]);
    cover('PUT', 'v1/killswitch');

    // A reply to the approved touch, for the routes that act on replies.
    const sent = await eventually(async () => {
      const outbox = (await (await fetch(`${suite.baseUrl}/api/dev/mailbox/outbox?tenantId=${tenantId}`)).json()) as {
        internetMessageId: string;
        to: string;
      }[];
      return outbox.length > 0 ? outbox[0] : undefined;
    }, 'the approved touch');
    const delivered = (await (
      await fetch(`${suite.baseUrl}/api/dev/mailbox/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenantId,
          from: sent.to,
          to: 'seller@tenant.example',
          subject: 'Re: Idea',
          body: 'Thanks, not interested right now.',
          inReplyTo: sent.internetMessageId,
        }),
      })
    ).json()) as { internetMessageId: string };
    const replyId = encodeURIComponent(delivered.internetMessageId);
    await eventually(async () => {
      const insight = await send('GET', `v1/insights/by-message?internetMessageId=${replyId}`);
      return insight.status === 200 && insight.body.nextAction.kind !== 'review' ? insight : undefined;
    }, 'the reply to be triaged');
    const label =
      (await send('GET', `v1/insights/by-message?internetMessageId=${replyId}`)).body.classification.label === 'neutral' ? 'objection' : 'neutral';
    result = await twice(() => send('POST', `v1/replies/${replyId}/label`, { label }));
    expect(result.added.map((events) => events.filter((type) => type === 'reply.corrected').length)).toEqual([1, 0]);
    cover('POST', 'v1/replies/{internetMessageId}/label');
    result = await twice(() => send('POST', 'v1/crm/log', { internetMessageId: delivered.internetMessageId }));
    expect(result.added).toEqual([['crm.logged'], []]);
    cover('POST', 'v1/crm/log');

    const prospectId = prospects.find((prospect) => prospect.email === sent.to)!.id;
    const slots = (await send('GET', `v1/availability?prospectId=${prospectId}&days=7`)).body.slots as { start: string; end: string }[];
    let bookingId = '';
    result = await twice(async () => {
      const response = await send('POST', 'v1/bookings', { prospectId, ...slots[0]! });
      bookingId = response.body.bookingId;
      return response;
    });
    expect(result.added.map((events) => events.filter((type) => type === 'meeting.booked').length)).toEqual([1, 0]);
    cover('POST', 'v1/bookings');
    result = await twice(() => send('POST', `v1/bookings/${bookingId}/reschedule`, slots[1]!));
    expect(result.added.map((events) => events.filter((type) => type === 'meeting.rescheduled').length)).toEqual([1, 0]);
    result = await twice(() => send('POST', `v1/bookings/${bookingId}/reschedule`, slots[0]!));
    expect(result.added.map((events) => events.filter((type) => type === 'meeting.rescheduled').length)).toEqual([1, 0]);
    cover('POST', 'v1/bookings/{id}/reschedule');
    result = await twice(() => send('POST', `v1/bookings/${bookingId}/cancel`, { reason: 'moved to next quarter' }));
    expect(result.added.map((events) => events.filter((type) => type === 'meeting.cancelled').length)).toEqual([1, 0]);
    cover('POST', 'v1/bookings/{id}/cancel');

    const [deal] = (await send('GET', 'v1/deals')).body as { id: string }[];
    result = await twice(() => send('PATCH', `v1/deals/${deal!.id}`, { stage: 'WON', amount: 7_000 }));
    expect(result.added).toEqual([['deal.stage_changed'], []]);
    result = await twice(() => send('PATCH', `v1/deals/${deal!.id}`, { amount: 8_000 }));
    expect(result.added).toEqual([['deal.amount_changed'], []]);
    cover('PATCH', 'v1/deals/{id}');

    await send('POST', `v1/campaigns/${canaryCampaignId}/start`, { canary: { size: 1 } });
    result = await twice(() => send('POST', `v1/campaigns/${canaryCampaignId}/halt`, { reason: 'looks off' }));
    expect(result.added[0]).toEqual(expect.arrayContaining(['killswitch.activated', 'canary.halted']));
    expect(result.added[1]).toEqual([]);
    cover('POST', 'v1/campaigns/{id}/halt');
    await send('PUT', 'v1/killswitch', { scope: 'campaign', campaignId: canaryCampaignId, active: false, reason: 'looked into it' });
    result = await twice(() => send('POST', `v1/campaigns/${canaryCampaignId}/promote`, {}));
    expect(result.added.map((events) => events.filter((type) => type === 'canary.promoted').length)).toEqual([1, 0]);
    cover('POST', 'v1/campaigns/{id}/promote');

    result = await twice(() => send('POST', `v1/campaigns/${campaignId}/stop`, { reason: 'done' }));
    expect(result.added[0]).toContain('campaign.stopped');
    expect(result.added[1]).not.toContain('campaign.stopped');
    cover('POST', 'v1/campaigns/{id}/stop');

    const hours = { timeZone: 'Europe/Berlin', workingHours: { start: '08:00', end: '16:00', days: [1, 2, 3, 4, 5] } };
    result = await twice(() => send('PUT', 'v1/reps/seller@tenant.example', hours));
    expect(result.added).toEqual([['rep.updated'], []]);
    cover('PUT', 'v1/reps/{mailbox}');

    // Reading is not a change, but handing the log out is: each export is recorded.
    result = await twice(() => send('GET', 'v1/audit/export'));
    expect(result.added).toEqual([['audit.exported'], ['audit.exported']]);

    for (const [route, why] of Object.entries(changeNothingLocally)) {
      const [method, path] = route.split(' ') as [string, string];
      if (path === 'v1/tenant/offboard') continue;
      result = await twice(() => send(method, path, {}));
      expect(result.added, `${route}: ${why}`).toEqual([[], []]);
    }

    const mutating = apiRoutes.flatMap((route) => route.methods.filter((method) => method !== 'GET').map((method) => `${method} ${route.route}`));
    expect(mutating.filter((route) => !covered.has(route) && !(route in changeNothingLocally))).toEqual([]);
    expect((await send('GET', 'v1/audit/verify')).body).toMatchObject({ valid: true });
  });
});
