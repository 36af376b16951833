import type { Role } from '@asep/shared/access/roles';
import type { NewCampaign } from '@asep/shared/campaigns/campaign';
import type { Services } from '@asep/functions/composition/services';
import { enrolProspects } from '@asep/functions/campaigns/enrolments';
import { prospectId, saveProspects } from '@asep/functions/prospects/prospects';
import { ensureTenant, ignoreConflict } from '@asep/functions/tenants/directory';
import { asLocal } from './local-services';

/** The demo tenant every fresh local suite starts with. */
export const demoTenant = {
  tenantId: '00000000-0000-4000-8000-000000000001',
  name: 'Contoso (demo)',
  mailbox: 'sales@demo.asep.local',
  campaignId: 'cmp-demo-q4-pilot',
  users: [
    { userId: '00000000-0000-4000-8000-00000000a001', name: 'Olivia Owner', email: 'owner@demo.asep.local', roles: ['Owner'] },
    { userId: '00000000-0000-4000-8000-00000000a002', name: 'Adam Admin', email: 'admin@demo.asep.local', roles: ['Admin'] },
    { userId: '00000000-0000-4000-8000-00000000a003', name: 'Rita RevOps', email: 'revops@demo.asep.local', roles: ['RevOps'] },
    { userId: '00000000-0000-4000-8000-00000000a004', name: 'Max Manager', email: 'manager@demo.asep.local', roles: ['Manager'] },
    { userId: '00000000-0000-4000-8000-00000000a005', name: 'Oscar Operator', email: 'rep@demo.asep.local', roles: ['Operator'] },
    { userId: '00000000-0000-4000-8000-00000000a006', name: 'Ada Auditor', email: 'auditor@demo.asep.local', roles: ['Auditor'] },
  ] satisfies { userId: string; name: string; email: string; roles: Role[] }[],
  /** Each demo user's mailbox settings, as Exchange would hold them: the team works from three zones. */
  mailboxSettings: [
    { mailbox: 'sales@demo.asep.local', timeZone: 'Europe/London', workingHours: { start: '09:00', end: '17:30', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'rep@demo.asep.local', timeZone: 'America/Chicago', workingHours: { start: '08:30', end: '16:30', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'manager@demo.asep.local', timeZone: 'America/New_York', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'revops@demo.asep.local', timeZone: 'Europe/Berlin', workingHours: { start: '08:00', end: '16:00', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'owner@demo.asep.local', timeZone: 'America/Los_Angeles', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'admin@demo.asep.local', timeZone: 'UTC', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
    { mailbox: 'auditor@demo.asep.local', timeZone: 'UTC', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } },
  ],
  prospects: [
    { email: 'jane.doe@fabrikam.example', firstName: 'Jane', lastName: 'Doe', company: 'Fabrikam', title: 'VP Sales', timeZone: 'America/New_York' },
    {
      email: 'ravi.patel@northwind.example',
      firstName: 'Ravi',
      lastName: 'Patel',
      company: 'Northwind Traders',
      title: 'Head of RevOps',
      timeZone: 'America/Chicago',
    },
    { email: 'lena.fischer@adatum.example', firstName: 'Lena', lastName: 'Fischer', company: 'Adatum', title: 'CTO', timeZone: 'Europe/Berlin' },
    { email: 'marco.rossi@litware.example', firstName: 'Marco', lastName: 'Rossi', company: 'Litware', title: 'COO', timeZone: 'Europe/Rome' },
    {
      email: 'sam.park@city-agency.gov',
      firstName: 'Sam',
      lastName: 'Park',
      company: 'City Agency',
      title: 'Procurement Lead',
      timeZone: 'America/Los_Angeles',
    },
  ],
};

const demoSequence: NewCampaign['sequence'] = {
  steps: [
    {
      type: 'email',
      subject: 'Pipeline hygiene at {{company}}',
      body: 'Hi {{firstName}},\n\nTeams like {{company}} lose a fifth of their pipeline to stale follow-ups. We automate the follow-up without losing control: every first touch is approved by a manager.\n\nWorth a 20-minute look next week?\n\nBest,\nMax',
      approval: 'every',
    },
    { type: 'wait', days: 2 },
    {
      type: 'email',
      subject: 'Pipeline hygiene at {{company}}',
      body: 'Hi {{firstName}}, a short nudge on my note below. Happy to send a two-minute video instead if that is easier.\n\nMax',
      approval: 'once',
    },
  ],
};

/** Creates the demo tenant, its campaign and prospects once; later starts leave them as they are. */
export async function seedDemoTenant(services: Services): Promise<{ created: boolean }> {
  const { tenantId } = demoTenant;
  await ensureTenant(services, tenantId);
  const tenant = services.store.forTenant(tenantId);
  if (await tenant.campaigns.read(demoTenant.campaignId)) return { created: false };
  const now = services.clock.now().toISOString();
  for (const user of demoTenant.users) {
    await tenant.users.upsert({
      id: `user-${user.userId}`,
      userId: user.userId,
      name: user.name,
      roles: user.roles,
      lastSeenAt: now,
    });
  }
  for (const { mailbox, ...hours } of demoTenant.mailboxSettings) await asLocal(services).sandboxCalendar.setWorkingHours(tenantId, mailbox, hours);
  await saveProspects(services, tenantId, demoTenant.prospects);
  await ignoreConflict(
    tenant.campaigns.create({
      id: demoTenant.campaignId,
      name: 'Q4 pilot: pipeline hygiene',
      mailbox: demoTenant.mailbox,
      mailboxes: [demoTenant.mailbox],
      mailboxLoad: {},
      offer: 'Governed follow-up automation for B2B sales teams',
      persona: 'Sales and RevOps leaders',
      sequence: demoSequence,
      // Researched: each prospect's company site and CRM account are read first, and every draft cites what it uses.
      drafting: { mode: 'researched', draftOnly: false },
      status: 'draft',
      enrolled: 0,
      approvedSteps: [],
      createdBy: demoTenant.users[2]!.userId,
      createdAt: now,
    }),
  );
  // Enrolling again enrols nobody twice.
  await enrolProspects(
    services,
    (await tenant.campaigns.readFresh(demoTenant.campaignId))!,
    demoTenant.prospects.map((prospect) => ({ id: prospectId(tenantId, prospect.email) })),
  );
  for (const account of demoAccounts) {
    await asLocal(services).internalCrm.describeAccount(tenantId, account.domain, account.properties);
    for (const note of account.notes) {
      await asLocal(services).internalCrm.logEngagement(tenantId, {
        engagementId: `demo-note:${account.domain}:${note.at}`,
        type: 'note',
        contactEmail: note.contactEmail,
        subject: 'Note',
        body: note.body,
        at: note.at,
      });
    }
  }
  await services.audit.append(tenantId, {
    actor: { type: 'system', id: 'seed' },
    type: 'demo.seeded',
    correlationId: 'seed',
    idempotencyKey: `demo.seeded:${tenantId}`,
    payload: { campaignId: demoTenant.campaignId, prospects: demoTenant.prospects.length },
  });
  return { created: true };
}

/** What the demo tenant's CRM knows of two demo accounts: what a rep wrote down after earlier conversations. */
export const demoAccounts: { domain: string; properties: Record<string, string>; notes: { contactEmail: string; body: string; at: string }[] }[] = [
  {
    domain: 'fabrikam.example',
    properties: { name: 'Fabrikam', industry: 'Retail technology', city: 'Seattle' },
    notes: [
      {
        contactEmail: 'jane.doe@fabrikam.example',
        body: 'Jane said follow-ups slip whenever the team is travelling to trade shows.',
        at: '2026-09-14T15:00:00.000Z',
      },
    ],
  },
  {
    domain: 'northwind.example',
    properties: { name: 'Northwind Traders', industry: 'Food distribution', city: 'Chicago' },
    notes: [
      {
        contactEmail: 'ravi.patel@northwind.example',
        body: 'Ravi is rebuilding the RevOps stack before the new region opens.',
        at: '2026-10-02T16:30:00.000Z',
      },
    ],
  },
];

/** The demo prospects' company sites on the sandbox web, so a researched campaign in the demo tenant has pages to cite. */
export const demoSites: { domain: string; pages: Record<string, string> }[] = [
  {
    domain: 'fabrikam.example',
    pages: {
      '/': '<html><head><meta name="description" content="Fabrikam sells payment terminals to retailers in North America."></head><body><main><p>Fabrikam opened a second sales office in Toronto this autumn.</p></main></body></html>',
    },
  },
  {
    domain: 'northwind.example',
    pages: {
      '/': '<html><head><meta name="description" content="Northwind Traders imports specialty foods for 300 independent grocers."></head><body><main><p>Northwind Traders is hiring six account managers for its new Midwest region.</p></main></body></html>',
    },
  },
];
