import type { SqlParameter } from '@azure/cosmos';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Documents, StoredFields } from './documents';

/**
 * How a kind of record is partitioned: with the rest of its tenant (`tenant`), or, for high-volume records
 * looked up by id, in one of the tenant's hashed buckets (`hashed`).
 */
export type Partitioning = 'tenant' | 'hashed';

/** One tenant's records of one kind. The partition key follows from the tenant and the id: callers never compute it. */
export class TenantDocuments<T extends StoredFields> {
  constructor(
    readonly documents: Documents<T>,
    readonly tenantId: string,
    private readonly partitioning: Partitioning,
  ) {}

  partitionOf(id: string): string {
    return this.partitioning === 'tenant' ? tenantPartition(this.tenantId) : hashedPartition(this.tenantId, id);
  }

  read(id: string): Promise<T | undefined> {
    return this.documents.read(this.partitionOf(id), id);
  }

  update(id: string, change: (current: T) => T | undefined): Promise<T | undefined> {
    return this.documents.update(this.partitionOf(id), id, change);
  }

  delete(id: string): Promise<void> {
    return this.documents.delete(this.partitionOf(id), id);
  }

  query(where?: string, parameters?: SqlParameter[], orderBy?: string): Promise<T[]> {
    return this.documents.query(this.tenantId, where, parameters, orderBy);
  }
}

/** The kinds of a store, each as one tenant's. */
export type TenantScoped<S> = { [K in keyof S]: S[K] extends Documents<infer T> ? TenantDocuments<T> : never };

export function scopeToTenant<S extends Record<string, Documents<StoredFields>>>(
  kinds: S,
  partitioning: { [K in keyof S]: Partitioning },
  tenantId: string,
): TenantScoped<S> {
  return Object.fromEntries(
    Object.entries(kinds).map(([kind, documents]) => [kind, new TenantDocuments(documents, tenantId, partitioning[kind as keyof S])]),
  ) as TenantScoped<S>;
}
