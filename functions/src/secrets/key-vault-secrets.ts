import type { SecretClient } from '@azure/keyvault-secrets';
import { checkedSecretName, SecretsError, type SecretsProvider } from './secrets-provider';

/** The two calls ASEP makes, so a test can stand in for the vault. */
export type SecretVault = Pick<SecretClient, 'getSecret' | 'setSecret'>;

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Secrets in Azure Key Vault, reached with the app's managed identity (Key Vault Secrets User or Officer). */
export class KeyVaultSecrets implements SecretsProvider {
  constructor(private readonly vault: SecretVault) {}

  async get(name: string): Promise<string | undefined> {
    const checked = checkedSecretName(name);
    try {
      const secret = await this.vault.getSecret(checked);
      return secret.value;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return undefined;
      throw new SecretsError(name, 'get', status);
    }
  }

  async set(name: string, value: string): Promise<void> {
    const checked = checkedSecretName(name);
    try {
      await this.vault.setSecret(checked, value);
    } catch (error) {
      throw new SecretsError(name, 'set', statusOf(error));
    }
  }
}
