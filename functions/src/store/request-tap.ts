import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one HTTP request of an `@azure/cosmos` client cost. `kind` separates what Azure bills per request
 * (`data`: reads, writes, queries, batches, patches on documents) from the query plans the SDK fetches
 * before a query (served by the gateway, no request units) and the metadata reads it caches (partition
 * key ranges, containers).
 */
export interface CosmosRequest {
  kind: 'data' | 'queryPlan' | 'metadata';
  /** `read`, `create`, `replace`, `upsert`, `patch`, `delete`, `query`, `batch`, … */
  operation: string;
  container: string;
  /** The `x-ms-request-charge` response header. */
  requestUnits: number;
  /** A query sent without a partition key: Azure fans it out over every physical partition. */
  crossPartition: boolean;
}

export interface CosmosRequestObserver {
  (request: CosmosRequest): void;
}

export interface Tally {
  requests: number;
  requestUnits: number;
  queryPlans: number;
  metadata: number;
  crossPartitionQueries: number;
  /** `<site> <operation> <container>` → data requests, where site is the route or activity that made them. */
  bySite: Record<string, number>;
}

const emptyTally = (): Tally => ({ requests: 0, requestUnits: 0, queryPlans: 0, metadata: 0, crossPartitionQueries: 0, bySite: {} });

/**
 * One tap on every Cosmos client of a process, keeping a tally per client (`app`, `durable`, …) and per
 * call site: the route or activity running when the request was made, carried by `AsyncLocalStorage`.
 */
export class CosmosRequestTap {
  private readonly site = new AsyncLocalStorage<string>();
  private readonly tallies = new Map<string, Tally>();

  /** Runs `work` with its Cosmos requests attributed to `site`. */
  within<T>(site: string, work: () => T): T {
    return this.site.run(site, work);
  }

  /** The observer to give the client named `client`. */
  observer(client: string): CosmosRequestObserver {
    return (request) => {
      const tally = this.tallies.get(client) ?? emptyTally();
      this.tallies.set(client, tally);
      tally.requestUnits += request.requestUnits;
      if (request.kind === 'queryPlan') tally.queryPlans += 1;
      else if (request.kind === 'metadata') tally.metadata += 1;
      else {
        tally.requests += 1;
        if (request.crossPartition) tally.crossPartitionQueries += 1;
        const key = `${this.site.getStore() ?? 'other'} ${request.operation} ${request.container}`;
        tally.bySite[key] = (tally.bySite[key] ?? 0) + 1;
      }
    };
  }

  /** A copy of the tally of `client` so far. */
  tally(client: string): Tally {
    const tally = this.tallies.get(client) ?? emptyTally();
    return { ...tally, bySite: { ...tally.bySite } };
  }

  /** What `client` spent since `before` was taken. */
  since(client: string, before: Tally): Tally {
    const now = this.tally(client);
    const bySite: Record<string, number> = {};
    for (const [key, count] of Object.entries(now.bySite)) {
      const spent = count - (before.bySite[key] ?? 0);
      if (spent > 0) bySite[key] = spent;
    }
    return {
      requests: now.requests - before.requests,
      requestUnits: now.requestUnits - before.requestUnits,
      queryPlans: now.queryPlans - before.queryPlans,
      metadata: now.metadata - before.metadata,
      crossPartitionQueries: now.crossPartitionQueries - before.crossPartitionQueries,
      bySite,
    };
  }
}
