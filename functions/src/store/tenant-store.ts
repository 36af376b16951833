import type { SqlParameter } from '@azure/cosmos';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import { readMany as bulkRead } from './bulk';
import type { BatchWrite, Documents, StoredFields } from './documents';

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

  /** As `read`, past any cache: for the look right before an irreversible step. */
  readFresh(id: string): Promise<T | undefined> {
    return this.documents.readFresh(this.partitionOf(id), id);
  }

  /** The records with these ids (missing ones left out), in one query: only kinds kept in the tenant's partition share one. */
  readMany(ids: string[]): Promise<T[]> {
    return this.documents.readMany(this.tenantPartition(), ids);
  }

  /**
   * The records with these ids, in their order (undefined where there is none), by bulk point reads a hundred
   * to a request: for many records of a kind spread over hashed buckets, which no one query can address.
   */
  async readEach(ids: string[]): Promise<(T | undefined)[]> {
    const records = await bulkRead(
      this.documents,
      ids.map((id) => ({ id, pk: this.partitionOf(id) })),
    );
    return records.map((record) => (record?.tenantId === this.tenantId ? record : undefined));
  }

  create(record: Unkeyed<T>): Promise<T> {
    return this.documents.create(this.keyed(record));
  }

  upsert(record: Unkeyed<T>): Promise<T> {
    return this.documents.upsert(this.keyed(record));
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

  /** As `query`, sent to the tenant's partition only (no fan-out): for kinds kept there. */
  queryPartition(where?: string, parameters?: SqlParameter[]): Promise<T[]> {
    return this.documents.queryPartition(this.tenantPartition(), this.tenantId, where, parameters);
  }

  /** Creates, upserts and replaces records of this kind in one transactional batch: for kinds kept in the tenant's partition. */
  writeTogether(writes: ({ create: Unkeyed<T> } | { upsert: Unkeyed<T> } | { replace: T })[]): Promise<(T | undefined)[]> {
    return this.documents.writeTogether(
      this.tenantPartition(),
      writes.map((write) => {
        if ('create' in write) return { create: this.keyed(write.create) };
        if ('upsert' in write) return { upsert: this.keyed(write.upsert) };
        return write;
      }),
    );
  }

  /** Replaces `record` and creates `others` (records of other kinds, see `stored`) in one transactional batch: for kinds kept in the tenant's partition. */
  replaceWith(record: T, others: StoredFields[]): Promise<T> {
    this.tenantPartition();
    return this.documents.replaceWith(record, others);
  }

  /**
   * Creates `record` and writes `others` (records of other kinds in its container, see `stored`) in one transactional
   * batch: for kinds kept in the tenant's partition. Raises ConflictError, writing nothing, when `record` exists.
   */
  createWith(record: Unkeyed<T>, others: BatchWrite[]): Promise<T> {
    this.tenantPartition();
    return this.documents.createWith(this.keyed(record), others);
  }

  /** A new record as it is stored (its tenant, partition key and kind filled in): for a batch of several kinds. */
  stored(record: Unkeyed<T>): T {
    return { ...this.keyed(record), docType: this.documents.docType } as T;
  }

  /** The one partition a multi-record operation can address: a hashed kind spreads its records over several. */
  private tenantPartition(): string {
    if (this.partitioning !== 'tenant')
      throw new Error(`${this.documents.docType} records are spread over hashed partitions: address them one by one`);
    return tenantPartition(this.tenantId);
  }

  private keyed(record: Unkeyed<T>): Omit<T, 'docType'> {
    return { ...record, pk: this.partitionOf(record.id), tenantId: this.tenantId } as Omit<T, 'docType'>;
  }
}

/** A record as a caller writes it: the tenant-scoped store fills in its tenant and partition key. */
export type Unkeyed<T extends StoredFields> = Omit<T, 'docType' | 'pk' | 'tenantId'>;

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

/** One tenant's records of a kind a module keeps for itself (kept in the tenant's partition), partition key filled in by the store. */
export function tenantScoped<T extends StoredFields>(documents: Documents<T>, tenantId: string): TenantDocuments<T> {
  return new TenantDocuments(documents, tenantId, 'tenant');
}
