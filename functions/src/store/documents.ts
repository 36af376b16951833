import { ErrorResponse, type Container, type SqlParameter } from '@azure/cosmos';
import { hasLoneSurrogate } from '@asep/shared/ids/ids';

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
  constructor(
    readonly container: Container,
    readonly docType: string,
  ) {}

  async read(pk: string, id: string): Promise<T | undefined> {
    if (!isStorableKey(id, pk)) return undefined;
    try {
      const { resource } = await this.container.item(id, pk).read<T>();
      return resource && resource.docType === this.docType ? resource : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Creates the record; a record with the same id in the same partition raises ConflictError. */
  async create(record: Omit<T, 'docType'>): Promise<T> {
    try {
      const { resource } = await this.container.items.create<T>({ ...record, docType: this.docType } as T);
      return resource!;
    } catch (error) {
      if (statusOf(error) === 409) throw new ConflictError(`${this.docType} ${record.id} already exists`);
      throw error;
    }
  }

  async upsert(record: Omit<T, 'docType'>): Promise<T> {
    const { resource } = await this.container.items.upsert<T>({ ...record, docType: this.docType } as T);
    return resource as unknown as T;
  }

  /** Replaces the record only if nobody changed it since `record._etag` was read. */
  async replace(record: T): Promise<T> {
    try {
      const { resource } = await this.container
        .item(record.id, record.pk)
        .replace<T>(record, record._etag ? { accessCondition: { type: 'IfMatch', condition: record._etag } } : undefined);
      return resource as unknown as T;
    } catch (error) {
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
      const current = await this.read(pk, id);
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

  async delete(pk: string, id: string): Promise<void> {
    if (!isStorableKey(id, pk)) return;
    try {
      await this.container.item(id, pk).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
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
}
