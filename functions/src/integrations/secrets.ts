import type { SecretsProvider } from '../secrets/secrets-provider';

/** The adapters only read secrets: the client secret, the state and token keys, a tenant's own model key. */
export type SecretReader = Pick<SecretsProvider, 'get'>;

export class MissingSecretError extends Error {
  constructor(readonly secretName: string) {
    super(`The secret "${secretName}" is not configured.`);
  }
}

/** A secret the caller cannot work without; the error names the secret, never a value. */
export async function requireSecret(secrets: SecretReader, name: string): Promise<string> {
  const value = await secrets.get(name);
  if (!value) throw new MissingSecretError(name);
  return value;
}

/** A 256-bit key kept base64-encoded in the secrets provider (HMAC and AES-GCM keys). */
export async function requireKey(secrets: SecretReader, name: string): Promise<Buffer> {
  const key = Buffer.from(await requireSecret(secrets, name), 'base64');
  if (key.length !== 32) throw new Error(`The secret "${name}" must be a base64-encoded 32-byte key; it has ${key.length} bytes.`);
  return key;
}
