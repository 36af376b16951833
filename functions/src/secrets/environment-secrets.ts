import { checkedSecretName, type SecretsProvider } from './secrets-provider';

/** `hubspot-token-<tenant>` → `ASEP_SECRET_HUBSPOT_TOKEN_<TENANT>`. */
export function environmentVariableFor(name: string): string {
  return `ASEP_SECRET_${checkedSecretName(name).toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The local suite's secrets: environment variables named `ASEP_SECRET_<NAME>`. A secret set here lives in
 * this process only, as if a developer had exported it.
 */
export class EnvironmentSecrets implements SecretsProvider {
  constructor(private readonly environment: Record<string, string | undefined> = process.env) {}

  async get(name: string): Promise<string | undefined> {
    const value = this.environment[environmentVariableFor(name)];
    return value === undefined || value === '' ? undefined : value;
  }

  async set(name: string, value: string): Promise<void> {
    this.environment[environmentVariableFor(name)] = value;
  }
}
