import type { SecretsProvider } from '../secrets/secrets-provider';

/** The Key Vault secret holding the key, in Azure: at least 32 random bytes, base64 (`openssl rand -base64 32`). */
export const unsubscribeKeySecret = 'unsubscribe-signing-key';

export const minimumUnsubscribeKeyBytes = 32;

/** The key unsubscribe links are signed with, from the secret store (Key Vault in Azure). */
export async function unsubscribeKeyFrom(secrets: SecretsProvider): Promise<Buffer> {
  const key = Buffer.from((await secrets.get(unsubscribeKeySecret)) ?? '', 'base64');
  if (key.length < minimumUnsubscribeKeyBytes) {
    throw new Error(
      `Key Vault secret "${unsubscribeKeySecret}" must hold at least ${minimumUnsubscribeKeyBytes} random bytes, base64-encoded; unsubscribe links cannot be signed without it.`,
    );
  }
  return key;
}
