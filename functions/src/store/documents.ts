import { ErrorResponse, type Container, type JSONObject, type OperationInput, type SqlParameter } from '@azure/cosmos';
import { hasLoneSurrogate } from '@asep/shared/ids/ids';
import { InFlight } from './in-flight';

/** Fields every stored record carries: the partition key, the tenant, and what kind of record it is. */
export interface StoredFields {
  id: string;
  pk: string;
  tenantId: string;
  /** Which kind of record this is; several kinds share a container. */
  docType: string;
  _etag?: string;
}

export class ConflictError extends Error {}
const notModified = Symbol('not modified');
export class PreconditionFailedError extends Error {}

function statusOf(error: unknown): number | undefined {
  return error instanceof ErrorResponse || (typeof error === 'object' && error !== null && 'code' in error)
    ? Number((error as { code: unknown }).code)
    : undefined;
}

/**
 * Whether Cosmos DB could hold a record under this id and partition key: it refuses `/ \ ? #` in ids, more
 * than 255 characters, and a key that cannot be encoded into a request URI. No such record can exist, so a
 * point read of one is answered "not found" here rather than by an error from the service.
 */
export function isStorableKey(id: string, pk: string): boolean {
  return (
    typeof id === 'string' &&
    typeof pk === 'string' &&
    id.length > 0 &&
    id.length <= 255 &&
    id.trim() === id &&
    !/[/\\?#]/.test(id) &&
    !hasLoneSurrogate(id) &&
    !hasLoneSurrogate(pk)
  );
}

/**
 * Typed access to one kind of record in one container. Every query is scoped to a tenant in its
 * WHERE clause as well as by partition, because the local emulator ignores the partition option.
 */
export class Documents<T extends StoredFields> {
  private readonly cache = new Map<string, { record: T | undefined; etag?: string; until: number }>();
  /** Reads of cached kinds in flight: callers missing the cache at once share one request. */
  private readonly reading = new InFlight<T | undefined>();

  /**
   * `cacheForMs` keeps what `read` answered for that long: for records read on every send and changed
   * rarely (policy, kill switch, campaign). Writes through this instance refresh it at once; other
   * instances' writes are seen within that time, and after it a read with the cached ETag costs a
   * not-modified answer rather than the document.
   */
  constructor(
    readonly container: Container,
    readonly docType: string,
    private readonly cacheForMs = 0,
  ) {}

  async read(pk: string, id: string): Promise<T | undefined> {
    if (this.cacheForMs === 0) return this.readFresh(pk, id);
    const key = `${pk}|${id}`;
    const cached = this.cache.get(key);
    // Copies: a caller changing what it read must not change what the next caller reads.
    if (cached && cached.until > Date.now()) return structuredClone(cached.record);
    return this.reading.share(key, async (stillCurrent) => {
      const record = await this.readFresh(pk, id, cached?.etag);
      const current = record === notModified ? cached!.record : record;
      // A write through this instance meanwhile forgot this read: what it wrote stays cached, not what was read.
      if (stillCurrent()) this.remember(pk, id, current);
      return current;
    });
  }

  /** Reads the record from the store, whatever is cached: for read-modify-write and for last looks. */
  async readFresh(pk: string, id: string): Promise<T | undefined>;
  async readFresh(pk: string, id: string, ifNoneMatch?: string): Promise<T | undefined | typeof notModified>;
  async readFresh(pk: string, id: string, ifNoneMatch?: string): Promise<T | undefined | typeof notModified> {
    if (!isStorableKey(id, pk)) return undefined;
    try {
      const { resource, statusCode } = await this.container
        .item(id, pk)
        .read<T>(ifNoneMatch ? { accessCondition: { type: 'IfNoneMatch', condition: ifNoneMatch } } : undefined);
      if (statusCode === 304) return notModified;
      return resource && resource.docType === this.docType ? resource : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private remember(pk: string, id: string, record: T | undefined): T | undefined {
    this.reading.forget(`${pk}|${id}`);
    if (this.cacheForMs > 0) this.cache.set(`${pk}|${id}`, { record, etag: record?._etag, until: Date.now() + this.cacheForMs });
    return record;
  }

  /** Creates the record; a record with the same id in the same partition raises ConflictError. */
  async create(record: Omit<T, 'docType'>): Promise<T> {
    try {
      const { resource } = await this.container.items.create<T>({ ...record, docType: this.docType } as T);
      this.remember(record.pk, record.id, resource);
      return resource!;
    } catch (error) {
      if (statusOf(error) === 409) throw new ConflictError(`${this.docType} ${record.id} already exists`);
      throw error;
    }
  }

  async upsert(record: Omit<T, 'docType'>): Promise<T> {
    const { resource } = await this.container.items.upsert<T>({ ...record, docType: this.docType } as T);
    this.remember(record.pk, record.id, resource as unknown as T);
    return resource as unknown as T;
  }

  /** Replaces the record only if nobody changed it since `record._etag` was read. */
  async replace(record: T): Promise<T> {
    try {
      const { resource } = await this.container
        .item(record.id, record.pk)
        .replace<T>(record, record._etag ? { accessCondition: { type: 'IfMatch', condition: record._etag } } : undefined);
      this.remember(record.pk, record.id, resource as unknown as T);
      return resource as unknown as T;
    } catch (error) {
      this.forget(`${record.pk}|${record.id}`);
      if (statusOf(error) === 412) throw new PreconditionFailedError(`${this.docType} ${record.id} changed meanwhile`);
      throw error;
    }
  }

  /**
   * Reads, changes and conditionally replaces a record, retrying when another writer got there first.
   * `change` returns undefined to leave the record as it is.
   */
  async update(pk: string, id: string, change: (current: T) => T | undefined): Promise<T | undefined> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const current = await this.readFresh(pk, id);
      if (!current) return undefined;
      const next = change(current);
      if (!next) return current;
      try {
        return await this.replace(next);
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error;
      }
    }
    throw new PreconditionFailedError(`${this.docType} ${id} is contended; try again`);
  }

  /**
   * Creates and replaces records of this kind in one partition in one transactional batch (see `writeBatch`),
   * answering the records as stored, in the order of `writes`.
   */
  async writeTogether(pk: string, writes: Write<T>[]): Promise<(T | undefined)[]> {
    for (const write of writes) this.forget(`${pk}|${writtenRecord(write).id}`);
    return (await writeBatch(
      this.container,
      pk,
      writes.map((write) => {
        if ('create' in write) return { create: { ...write.create, docType: this.docType } as T };
        if ('upsert' in write) return { upsert: { ...write.upsert, docType: this.docType } as T };
        return write;
      }),
    )) as (T | undefined)[];
  }

  /**
   * Replaces `record` (only if unchanged since read) and creates `others`, records of any kinds in its partition,
   * in one transactional batch; answers `record` as stored.
   */
  async replaceWith(record: T, others: StoredFields[]): Promise<T> {
    this.forget(`${record.pk}|${record.id}`);
    const [stored] = await writeBatch(this.container, record.pk, [{ replace: record }, ...others.map((other) => ({ create: other }))]);
    this.remember(record.pk, record.id, stored as T);
    return stored as T;
  }

  /**
   * Creates `record` and writes `others`, records of any kinds in its partition, in one transactional batch; raises
   * ConflictError, writing nothing, when `record` exists. Answers `record` as stored.
   */
  async createWith(record: Omit<T, 'docType'>, others: BatchWrite[]): Promise<T> {
    this.forget(`${record.pk}|${record.id}`);
    const created = { ...record, docType: this.docType } as T;
    const [stored] = await writeBatch(this.container, record.pk, [{ create: created }, ...others]);
    return (stored as T | undefined) ?? created;
  }

  /** As `update`, starting from `record` as already read: one request unless someone changed it meanwhile. */
  async updateFrom(record: T, change: (current: T) => T | undefined): Promise<T | undefined> {
    const next = change(record);
    if (!next) return record;
    try {
      return await this.replace(next);
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      return this.update(record.pk, record.id, change);
    }
  }

  private forget(key: string): void {
    this.cache.delete(key);
    this.reading.forget(key);
  }

  async delete(pk: string, id: string): Promise<void> {
    this.forget(`${pk}|${id}`);
    if (!isStorableKey(id, pk)) return;
    try {
      await this.container.item(id, pk).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** The records with these ids in one partition, in one single-partition query (missing ones are left out). */
  async readMany(pk: string, ids: string[]): Promise<T[]> {
    const { resources } = await this.container.items
      .query<T>(
        {
          query: 'SELECT * FROM c WHERE c.pk = @pk AND c.docType = @docType AND ARRAY_CONTAINS(@ids, c.id)',
          parameters: [
            { name: '@pk', value: pk },
            { name: '@docType', value: this.docType },
            { name: '@ids', value: ids },
          ],
        },
        { partitionKey: pk },
      )
      .fetchAll();
    return resources;
  }

  /** `where` is ANDed after the tenant and kind filters; name parameters with @. */
  async query(tenantId: string, where = 'true', parameters: SqlParameter[] = [], orderBy = ''): Promise<T[]> {
    const query = {
      query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = @docType AND (${where}) ${orderBy}`,
      parameters: [{ name: '@tenantId', value: tenantId }, { name: '@docType', value: this.docType }, ...parameters],
    };
    const { resources } = await this.container.items.query<T>(query).fetchAll();
    return resources;
  }

  /** As `query`, for records that all live in partition `pk`: the query goes to that partition only, no fan-out. */
  async queryPartition(pk: string, tenantId: string, where = 'true', parameters: SqlParameter[] = []): Promise<T[]> {
    const query = {
      query: `SELECT * FROM c WHERE c.pk = @pk AND c.tenantId = @tenantId AND c.docType = @docType AND (${where})`,
      parameters: [{ name: '@pk', value: pk }, { name: '@tenantId', value: tenantId }, { name: '@docType', value: this.docType }, ...parameters],
    };
    const { resources } = await this.container.items.query<T>(query, { partitionKey: pk }).fetchAll();
    return resources;
  }
}

/**
 * One write of a transactional batch: a create, an upsert (created or overwritten), or a replace only if unchanged
 * since its `_etag` was read.
 */
export type BatchWrite = { create: StoredFields } | { upsert: StoredFields } | { replace: StoredFields };

/** A write of a record of one kind, its kind filled in when written. */
export type Write<T extends StoredFields> = { create: Omit<T, 'docType'> } | { upsert: Omit<T, 'docType'> } | { replace: T };

const writtenRecord = (write: Write<StoredFields>) => ('create' in write ? write.create : 'upsert' in write ? write.upsert : write.replace);

/**
 * Writes records of one partition of one container, of any kinds, in one transactional batch: one request.
 * Raises ConflictError or PreconditionFailedError as create and replace do when the batch is refused, which
 * leaves every record as it was (the local emulator is patched to be all or nothing, as Cosmos DB is). Answers
 * each record as stored, with its new `_etag`, where the response carries it.
 */
export async function writeBatch(container: Container, pk: string, writes: BatchWrite[]): Promise<(StoredFields | undefined)[]> {
  const operations = writes.map((write): OperationInput => {
    if ('create' in write) return { operationType: 'Create', partitionKey: pk, resourceBody: write.create as unknown as JSONObject };
    if ('upsert' in write) return { operationType: 'Upsert', partitionKey: pk, resourceBody: write.upsert as unknown as JSONObject };
    const { replace } = write;
    return {
      operationType: 'Replace',
      partitionKey: pk,
      id: replace.id,
      resourceBody: replace as unknown as JSONObject,
      ...(replace._etag ? { ifMatch: replace._etag } : {}),
    };
  });
  const response = await container.items.batch(operations, pk);
  const statuses = (response.result ?? []).map((result) => result.statusCode);
  if (statuses.includes(409)) throw new ConflictError(`${container.id}: a record of the batch already exists`);
  if (statuses.includes(412)) throw new PreconditionFailedError(`${container.id}: a record of the batch changed meanwhile`);
  const failed = statuses.find((status) => status >= 400);
  if (failed !== undefined) throw new Error(`${container.id}: the batch failed with ${failed}`);
  return (response.result ?? []).map((result) => result.resourceBody as StoredFields | undefined);
}

/**
 * The records with these ids in one partition of one container, whatever their kinds, in one single-partition
 * query: what a point read of each would answer, for one request (missing ones are left out).
 */
export async function readPartition(container: Container, pk: string, ids: string[]): Promise<StoredFields[]> {
  const { resources } = await container.items
    .query<StoredFields>(
      {
        query: 'SELECT * FROM c WHERE c.pk = @pk AND ARRAY_CONTAINS(@ids, c.id)',
        parameters: [
          { name: '@pk', value: pk },
          { name: '@ids', value: ids },
        ],
      },
      { partitionKey: pk },
    )
    .fetchAll();
  return resources;
}
