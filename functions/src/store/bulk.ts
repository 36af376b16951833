import { BulkOperationType, type BulkOperationResult, type JSONObject, type OperationInput } from '@azure/cosmos';
import type { Documents, StoredFields } from './documents';

/**
 * Many point reads and writes through Cosmos DB's bulk API: the SDK groups operations by partition key
 * range into batch requests of up to 100, so a thousand records cost about ten round trips, not a thousand.
 */

/** Reads each record by its key; a missing one (or one of another kind) comes back undefined. */
export async function readMany<T extends StoredFields>(documents: Documents<T>, keys: { id: string; pk: string }[]): Promise<(T | undefined)[]> {
  if (keys.length === 0) return [];
  const results = await documents.container.items.executeBulkOperations(
    keys.map((key): OperationInput => ({ operationType: BulkOperationType.Read, id: key.id, partitionKey: key.pk })),
  );
  return results.map((result) => {
    const status = statusOf(result);
    if (status === 404) return undefined;
    if (status >= 400) throw new Error(`bulk read of ${documents.docType} failed with ${status}`);
    const resource = result.response?.resourceBody as T | undefined;
    return resource?.docType === documents.docType ? resource : undefined;
  });
}

export type BulkWrite<T extends StoredFields> =
  /** Only if no record has the id yet. */
  | { create: Omit<T, 'docType'> }
  /** Only if the record is still as read (`_etag`). */
  | { replace: T };

/** `written`, or `conflict` when another writer created or changed the record first (re-read and retry those). */
export async function writeMany<T extends StoredFields>(documents: Documents<T>, writes: BulkWrite<T>[]): Promise<('written' | 'conflict')[]> {
  if (writes.length === 0) return [];
  const results = await documents.container.items.executeBulkOperations(
    writes.map((write): OperationInput => {
      if ('create' in write) {
        const { _etag: _ignored, ...body } = { ...write.create, docType: documents.docType } as T;
        return { operationType: BulkOperationType.Create, partitionKey: write.create.pk, resourceBody: body as unknown as JSONObject };
      }
      const { _etag, ...body } = write.replace;
      return {
        operationType: BulkOperationType.Replace,
        id: body.id,
        partitionKey: body.pk,
        resourceBody: body as unknown as JSONObject,
        ...(_etag ? { ifMatch: _etag } : {}),
      };
    }),
  );
  return results.map((result) => {
    const status = statusOf(result);
    if (status === 409 || status === 412) return 'conflict';
    if (status >= 400) throw new Error(`bulk write of ${documents.docType} failed with ${status}`);
    return 'written';
  });
}

/** A failed operation reports its status on `error`, a successful one on `response`. */
function statusOf(result: BulkOperationResult): number {
  return result.response?.statusCode ?? Number(result.error?.code ?? 500);
}
