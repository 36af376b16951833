import type { Store } from '../store/store';
import { Documents, type StoredFields } from '../store/documents';
import { containers } from '../store/containers';
import { tenantScoped } from '../store/tenant-store';
import type { ModelDeploymentSettings } from './model-settings';

/** The Azure OpenAI deployment an Admin configured for the tenant (the key itself stays in Key Vault, named only). */
export interface TenantDeploymentRecord extends StoredFields {
  docType: 'modelDeployment';
  settings: ModelDeploymentSettings;
  configuredBy: string;
  validatedAt: string;
}

const recordId = 'model-deployment';

export function tenantDeployments(store: Store) {
  const documents = new Documents<TenantDeploymentRecord>(store.database.container(containers.tenants.id), 'modelDeployment');
  return {
    read: (tenantId: string) => tenantScoped(documents, tenantId).read(recordId),
    save: (tenantId: string, settings: ModelDeploymentSettings, configuredBy: string, validatedAt: string) =>
      tenantScoped(documents, tenantId).upsert({ id: recordId, settings, configuredBy, validatedAt }),
  };
}

/** The deployment the tenant's drafting and reply review use: its own, or the platform's default when it has none. */
export function deploymentResolver(store: Store, platformDefault?: ModelDeploymentSettings) {
  const deployments = tenantDeployments(store);
  return async (tenantId: string): Promise<ModelDeploymentSettings | undefined> => (await deployments.read(tenantId))?.settings ?? platformDefault;
}
