import { setTimeout as sleep } from 'node:timers/promises';
import { BulkOperationType, type JSONObject, type OperationInput, type OperationResponse } from '@azure/cosmos';
import pLimit from 'p-limit';
import type { Documents, StoredFields } from './documents';

/**
 * Many point reads and writes through Cosmos DB's bulk requests: up to 100 operations in one round trip,
 * a few requests in flight at once, so a thousand records cost ten round trips, not a thousand.
 *
 * `items.bulk` rather than `executeBulkOperations`: the latter's dispatcher waits a full second for each
 * partly filled batch before sending it, so every call costs at least a second however few records it
 * carries. An import preview answers in under a second; it cannot start with one asleep. Operations
 * throttled with 429 are sent again after a pause, as the SDK's executor would.
 */
const operationsPerRequest = 100;
const requestsInFlight = 4;
const throttledRetries = 6;

async function execute(documents: Documents<StoredFields>, operations: OperationInput[]): Promise<OperationResponse[]> {
  const limit = pLimit(requestsInFlight);
  const results: OperationResponse[] = new Array(operations.length);
  const requests: Promise<void>[] = [];
  for (let start = 0; start < operations.length; start += operationsPerRequest) {
    requests.push(limit(() => executeChunk(documents, operations, start, results)));
  }
  await Promise.all(requests);
  return results;
}

async function executeChunk(documents: Documents<StoredFields>, operations: OperationInput[], start: number, results: OperationResponse[]): Promise<void> {
  let pending = operations.slice(start, start + operationsPerRequest).map((operation, offset) => ({ operation, index: start + offset }));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    // items.bulk is deprecated in favour of executeBulkOperations, which has the latency floor explained above.
    const responses = await documents.container.items.bulk(
      pending.map(({ operation }) => operation),
      { continueOnError: true },
    );
    const throttled: typeof pending = [];
    responses.forEach((response, offset) => {
      const entry = pending[offset]!;
      if (response.statusCode === 429 && attempt < throttledRetries) throttled.push(entry);
      else results[entry.index] = response;
    });
    pending = throttled;
    if (pending.length > 0) await sleep(50 * 2 ** attempt);
  }
}

/** Reads each record by its key; a missing one (or one of another kind) comes back undefined. */
export async function readMany<T extends StoredFields>(documents: Documents<T>, keys: { id: string; pk: string }[]): Promise<(T | undefined)[]> {
  if (keys.length === 0) return [];
  const results = await execute(
    documents as unknown as Documents<StoredFields>,
    keys.map((key): OperationInput => ({ operationType: BulkOperationType.Read, id: key.id, partitionKey: key.pk })),
  );
  return results.map((result) => {
    if (result.statusCode === 404) return undefined;
    if (result.statusCode >= 400) throw new Error(`bulk read of ${documents.docType} failed with ${result.statusCode}`);
    const resource = result.resourceBody as T | undefined;
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
  const results = await execute(
    documents as unknown as Documents<StoredFields>,
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
    if (result.statusCode === 409 || result.statusCode === 412) return 'conflict';
    if (result.statusCode >= 400) throw new Error(`bulk write of ${documents.docType} failed with ${result.statusCode}`);
    return 'written';
  });
}
