/**
 * How many HubSpot API requests one positive reply costs: the deal it earns (contact, company, deal, associations)
 * and the evidence note, through the same mirror a connected tenant uses, against the HubSpot fake. HubSpot allows a
 * portal 110 requests per 10 s, so this figure bounds how many replies per 10 s one portal can absorb.
 */
import { AuditLog } from '../functions/src/audit/audit-log';
import { AdjustableClock } from '../functions/src/clock/clock';
import type { Services } from '../functions/src/composition/services';
import { InternalCrm } from '../functions/src/crm/internal-crm';
import { createDealFromReply } from '../functions/src/deals/deals';
import { emulatorKey, startCosmosEmulator } from '../local/src/cosmos-emulator';
import type { ProspectRecord } from '../functions/src/prospects/records';
import { createCosmosClient, ensureDatabase } from '../functions/src/store/cosmos';
import { createStore } from '../functions/src/store/store';
import { startHubSpotFake } from '../tests/contract/fakes/hubspot';
import { connectedHubSpot } from '../tests/contract/fakes/hubspot-integration';

const tenantId = '0b5e1c4a-0000-4000-8000-0000000000b1';

export async function hubspotRequestsPerLoop(): Promise<number> {
  const [fake, emulator] = await Promise.all([startHubSpotFake(), startCosmosEmulator()]);
  try {
    const clock = new AdjustableClock();
    const store = createStore(await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'bench' }), 'bench'));
    const audit = new AuditLog(store.auditContainer, clock);
    // The state a completed OAuth connection leaves behind.
    const { hubspot } = await connectedHubSpot({ fakeUrl: fake.url, store, audit, clock, tenantId, connectedBy: 'bench' });
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));
    // createDealFromReply reads only the store, clock, audit log and CRM of the services.
    const services = { store, clock, audit, crm } as unknown as Services;
    const now = clock.now().toISOString();
    const prospect: ProspectRecord = {
      id: 'prospect-bench',
      pk: tenantId,
      tenantId,
      docType: 'prospect',
      email: 'dana@fabrikam.example',
      firstName: 'Dana',
      lastName: 'Reyes',
      company: 'Fabrikam',
      domain: 'fabrikam.example',
      status: 'replied',
      createdAt: now,
      updatedAt: now,
    };
    await createDealFromReply(services, {
      tenantId,
      prospect,
      sourceMessageId: 'message-bench',
      confidence: 0.93,
      stage: 'POSITIVE_REPLY',
      excerpt: 'Sounds good, send me two times for next week.',
      correlationId: 'bench',
      actor: { type: 'system', id: 'bench' },
    });
    if (fake.violations.length > 0) throw new Error(`the loop sent requests HubSpot would refuse: ${JSON.stringify(fake.violations)}`);
    return fake.requests.length;
  } finally {
    await Promise.all([fake.close(), emulator.close()]);
  }
}
