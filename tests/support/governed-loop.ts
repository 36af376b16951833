import { call, eventually, signIn, type Person } from './suite';

/** A tenant with a RevOps lead, a Manager, an Operator and an Auditor, and one campaign ready to start. */
export interface LoopFixture {
  baseUrl: string;
  tenantId: string;
  revops: Person;
  manager: Person;
  operator: Person;
  auditor: Person;
  admin: Person;
  campaignId: string;
  prospectIds: string[];
  mailbox: string;
}

export const twoStepSequence = {
  steps: [
    { type: 'email', subject: 'Idea for {{company}}', body: 'Hi {{firstName}}, a short idea for {{company}}. Worth a chat?', approval: 'every' },
    { type: 'wait', days: 2 },
    { type: 'email', subject: 'Idea for {{company}}', body: 'Hi {{firstName}}, following up on my note.', approval: 'once' },
  ],
};

export async function prepareCampaign(baseUrl: string, tenantId: string, csv: string): Promise<LoopFixture> {
  const [revops, manager, operator, auditor, admin] = await Promise.all(
    ['RevOps', 'Manager', 'Operator', 'Auditor', 'Admin'].map((role) => signIn(baseUrl, tenantId, [role], `${role} person`)),
  );
  await sendAtAnyHour(baseUrl, admin!);
  const imported = await call(baseUrl, 'POST', 'v1/prospects/import', { token: revops!.token, text: csv, contentType: 'text/csv' });
  if (imported.status !== 200) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
  const mailbox = 'seller@tenant.example';
  const campaign = await call(baseUrl, 'POST', 'v1/campaigns', {
    token: revops!.token,
    json: { name: 'Loop test', mailbox, sequence: twoStepSequence },
  });
  if (campaign.status !== 201) throw new Error(`campaign create failed: ${JSON.stringify(campaign.body)}`);
  const prospects = await call<{ id: string; email: string }[]>(baseUrl, 'GET', 'v1/prospects', { token: operator!.token });
  const prospectIds = prospects.body.map((prospect) => prospect.id);
  const enrolled = await call(baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: revops!.token, json: { prospectIds } });
  if (enrolled.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(enrolled.body)}`);
  return {
    baseUrl,
    tenantId,
    revops: revops!,
    manager: manager!,
    operator: operator!,
    auditor: auditor!,
    admin: admin!,
    campaignId: campaign.body.id,
    prospectIds,
    mailbox,
  };
}

export async function pendingApprovals(fixture: LoopFixture, count: number) {
  return eventually(async () => {
    const { body } = await call<any[]>(fixture.baseUrl, 'GET', 'v1/approvals?status=pending', { token: fixture.manager.token });
    return body.length >= count ? body : undefined;
  }, `${count} pending approval(s)`);
}

export async function outbox(fixture: Pick<LoopFixture, 'baseUrl' | 'tenantId'>, to?: string): Promise<any[]> {
  const query = new URLSearchParams({ tenantId: fixture.tenantId, ...(to ? { to } : {}) });
  return (await call<any[]>(fixture.baseUrl, 'GET', `dev/mailbox/outbox?${query}`)).body;
}

/**
 * Turns the tenant's sending window (on by default) off: these flows are about what is sent, not when, and run at
 * any hour of the day; the window itself is proven in policy-sending-window.test.ts and reps-and-time.test.ts.
 */
export async function sendAtAnyHour(baseUrl: string, admin: Person): Promise<void> {
  const policy = (await call(baseUrl, 'GET', 'v1/policies', { token: admin.token })).body;
  const saved = await call(baseUrl, 'PUT', 'v1/policies', {
    token: admin.token,
    json: { rules: { ...policy.rules, sendingWindow: { ...policy.rules.sendingWindow, enabled: false } }, version: policy.version },
  });
  if (saved.status !== 200) throw new Error(`turning the sending window off failed: ${JSON.stringify(saved.body)}`);
}

/** Puts a change to the tenant's rules in force, as its Admin. */
export async function changePolicy(loop: Pick<LoopFixture, 'baseUrl' | 'admin'>, change: (rules: any) => any): Promise<void> {
  const current = (await call(loop.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
  const saved = await call(loop.baseUrl, 'PUT', 'v1/policies', {
    token: loop.admin.token,
    json: { rules: change(current.rules), version: current.version },
  });
  if (saved.status !== 200) throw new Error(`policy change refused: ${JSON.stringify(saved.body)}`);
}
