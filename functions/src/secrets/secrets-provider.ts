import { z } from 'zod';

/** Key Vault's own rule for secret names, used everywhere so a name valid locally is valid in Azure. */
export const secretNameSchema = z
  .string()
  .regex(/^[0-9a-zA-Z-]{1,127}$/, 'A secret name is 1 to 127 letters, digits and dashes (the Key Vault rule).');

/**
 * Where adapters keep what must never appear in code, logs or Cosmos: per-tenant HubSpot tokens, a tenant's
 * own OpenAI key. Key Vault in Azure, `ASEP_SECRET_<NAME>` environment variables locally.
 */
export interface SecretsProvider {
  /** The secret's current value, or undefined when no secret has that name. */
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/**
 * A secret store failed. It names the secret and the status only: the underlying SDK error is dropped on
 * purpose, because it carries the request (and for a write, the value) and would leak it into any log line
 * that prints the error.
 */
export class SecretsError extends Error {
  constructor(
    readonly secretName: string,
    readonly operation: 'get' | 'set',
    readonly status: number | undefined,
  ) {
    super(`Could not ${operation} secret "${secretName}"${status ? ` (HTTP ${status})` : ''}.`);
    this.name = 'SecretsError';
  }

  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export function checkedSecretName(name: string): string {
  const parsed = secretNameSchema.safeParse(name);
  if (!parsed.success) throw new Error(`"${name}" is not a valid secret name: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
