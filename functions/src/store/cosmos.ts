import { CosmosClient, type Database } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { containers } from './containers';

export type CosmosConnection =
  | { endpoint: string; credential: TokenCredential; databaseId: string }
  /** The local emulator only (plain HTTP on loopback, a key that guards nothing); never used in Azure. */
  | { endpoint: string; emulatorKey: string; databaseId: string };

export interface CosmosRequestObserver {
  (operation: { operationType: string; resourceType: string }): void;
}

export function createCosmosClient(connection: CosmosConnection, observe?: CosmosRequestObserver): CosmosClient {
  const plugins = observe
    ? [
        {
          on: 'request' as const,
          plugin: async (context: { operationType: string; resourceType: string }, _diagnostics: unknown, next: (c: unknown) => Promise<unknown>) => {
            observe({ operationType: context.operationType, resourceType: context.resourceType });
            return next(context);
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
      partitionKey: { paths: [spec.partitionKeyPath] },
      ...('uniqueKeyPaths' in spec ? { uniqueKeyPolicy: { uniqueKeys: [{ paths: [...spec.uniqueKeyPaths] }] } } : {}),
    });
  }
  return database;
}
