import type { Database } from '@azure/cosmos';
import type { Clock } from '../clock/clock';
import { containers } from '../store/containers';
import { ConflictError, Documents, type StoredFields } from '../store/documents';
import { tenantScoped } from '../store/tenant-store';

/** What one tenant spent on the model on one UTC day. */
export interface ModelUsageRecord extends StoredFields {
  docType: 'modelUsage';
  day: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** Token counts and cost per tenant per day, in Cosmos so every instance sees the same total. */
export class ModelUsageLedger {
  private readonly documents: Documents<ModelUsageRecord>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.documents = new Documents<ModelUsageRecord>(database.container(containers.tenants.id), 'modelUsage');
  }

  today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  async spentToday(tenantId: string): Promise<number> {
    return (await tenantScoped(this.documents, tenantId).read(usageId(this.today())))?.costUsd ?? 0;
  }

  async record(tenantId: string, usage: ModelUsage): Promise<ModelUsageRecord> {
    const day = this.today();
    const id = usageId(day);
    const usages = tenantScoped(this.documents, tenantId);
    const add = (current: ModelUsageRecord): ModelUsageRecord => ({
      ...current,
      calls: current.calls + 1,
      promptTokens: current.promptTokens + usage.promptTokens,
      completionTokens: current.completionTokens + usage.completionTokens,
      costUsd: current.costUsd + usage.costUsd,
    });
    const updated = await usages.update(id, add);
    if (updated) return updated;
    try {
      return await usages.create({ id, day, calls: 1, ...usage });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Another instance recorded the day's first call meanwhile.
      return (await usages.update(id, add))!;
    }
  }
}

function usageId(day: string): string {
  return `model-usage-${day}`;
}
