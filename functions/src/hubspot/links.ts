import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Clock } from '../clock/clock';
import type { Documents } from '../store/documents';
import type { HubSpotLinkRecord, LinkedObject } from './records';

/** Emails and domains are case-insensitive; ASEP's own ids are not. */
const normalised = (object: LinkedObject, key: string) => (object === 'contact' || object === 'company' ? key.trim().toLowerCase() : key);

/** One tenant's map of ASEP objects to the HubSpot objects that mirror them. */
export class HubSpotLinks {
  constructor(
    private readonly documents: Documents<HubSpotLinkRecord>,
    private readonly tenantId: string,
    private readonly clock: Clock,
  ) {}

  get(object: LinkedObject, key: string): Promise<HubSpotLinkRecord | undefined> {
    const id = this.idOf(object, key);
    return this.documents.read(hashedPartition(this.tenantId, id), id);
  }

  /** Records that a create is about to be sent, so a lost answer is looked for before anything is created again. */
  async markPending(object: LinkedObject, key: string): Promise<void> {
    await this.write(object, key, { pendingSince: this.clock.now().toISOString() });
  }

  async link(
    object: LinkedObject,
    key: string,
    hubSpotId: string,
    extra: Pick<HubSpotLinkRecord, 'associatedCompanyId'> = {},
  ): Promise<HubSpotLinkRecord> {
    return this.write(object, key, { hubSpotId, ...extra });
  }

  /** The HubSpot object is gone (archived in HubSpot): the next write creates a new one. */
  async forget(object: LinkedObject, key: string): Promise<void> {
    await this.write(object, key, {});
  }

  async findByHubSpotId(object: LinkedObject, hubSpotId: string): Promise<HubSpotLinkRecord | undefined> {
    const [found] = await this.documents.query(this.tenantId, 'c.object = @object AND c.hubSpotId = @hubSpotId', [
      { name: '@object', value: object },
      { name: '@hubSpotId', value: hubSpotId },
    ]);
    return found;
  }

  private write(object: LinkedObject, key: string, fields: Pick<HubSpotLinkRecord, 'hubSpotId' | 'pendingSince' | 'associatedCompanyId'>) {
    const id = this.idOf(object, key);
    return this.documents.upsert({
      id,
      pk: hashedPartition(this.tenantId, id),
      tenantId: this.tenantId,
      object,
      key: normalised(object, key),
      ...fields,
      updatedAt: this.clock.now().toISOString(),
    });
  }

  private idOf(object: LinkedObject, key: string): string {
    return `hubspot-${object}-${sha256(normalised(object, key)).slice(0, 32)}`;
  }
}
