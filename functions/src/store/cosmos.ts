import { CosmosClient, PartitionKeyDefinitionVersion, PartitionKeyKind, type Database } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { containers } from './containers';
import type { CosmosRequest, CosmosRequestObserver } from './request-tap';

export type CosmosConnection =
  | { endpoint: string; credential: TokenCredential; databaseId: string }
  /** The local emulator only (plain HTTP on loopback, a key that guards nothing); never used in Azure. */
  | { endpoint: string; emulatorKey: string; databaseId: string };

interface RequestContext {
  operationType?: string;
  resourceType?: string;
  path?: string;
  headers?: Record<string, unknown>;
}

function containerOf(path = ''): string {
  return /\/colls\/([^/]+)/.exec(path)?.[1] ?? '';
}

/** Describes a request as the tap counts it; the charge comes from the response (or the error) headers. */
function describe(context: RequestContext, responseHeaders: Record<string, unknown> | undefined): CosmosRequest {
  const header = (name: string) => context.headers?.[name];
  const kind = header('x-ms-cosmos-is-query-plan-request') ? 'queryPlan' : context.resourceType === 'docs' ? 'data' : 'metadata';
  const operation = context.operationType ?? 'unknown';
  return {
    kind,
    operation,
    container: containerOf(context.path),
    requestUnits: Number(responseHeaders?.['x-ms-request-charge'] ?? 0),
    crossPartition: kind === 'data' && operation === 'query' && header('x-ms-documentdb-partitionkey') === undefined,
  };
}

/** `observe` sees every HTTP request the client makes, retries included, as Azure bills them. */
export function createCosmosClient(connection: CosmosConnection, observe?: CosmosRequestObserver): CosmosClient {
  const plugins = observe
    ? [
        {
          on: 'request' as const,
          plugin: async (context: RequestContext, _diagnostics: unknown, next: (c: unknown) => Promise<{ headers?: Record<string, unknown> }>) => {
            try {
              const response = await next(context);
              observe(describe(context, response.headers));
              return response;
            } catch (error) {
              observe(describe(context, (error as { headers?: Record<string, unknown> }).headers));
              throw error;
            }
          },
        },
      ]
    : undefined;
  const common = { connectionPolicy: { enableEndpointDiscovery: false }, plugins } as const;
  return 'credential' in connection
    ? new CosmosClient({ endpoint: connection.endpoint, aadCredentials: connection.credential, ...common } as never)
    : new CosmosClient({
        endpoint: connection.endpoint,
        key: connection.emulatorKey,
        ...common,
      } as never);
}

/** Creates the database and containers if they are missing (locally; in Azure bicep declares them). */
export async function ensureDatabase(client: CosmosClient, databaseId: string): Promise<Database> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  for (const spec of Object.values(containers)) {
    await database.containers.createIfNotExists({
      id: spec.id,
      // As bicep declares them in Azure: the client hashes each bulk operation's key by this version to route it.
      partitionKey: { paths: [spec.partitionKeyPath], kind: PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V2 },
      ...('uniqueKeyPaths' in spec ? { uniqueKeyPolicy: { uniqueKeys: [{ paths: [...spec.uniqueKeyPaths] }] } } : {}),
    });
  }
  return database;
}
