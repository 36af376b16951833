import { inspect } from 'node:util';
import { RestError } from '@azure/core-rest-pipeline';
import type { KeyVaultSecret } from '@azure/keyvault-secrets';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdjustableClock } from '../clock/clock';
import { CachedSecrets, defaultSecretCacheMs } from './cached-secrets';
import { EnvironmentSecrets, environmentVariableFor } from './environment-secrets';
import { KeyVaultSecrets, type SecretVault } from './key-vault-secrets';
import { SecretsError, type SecretsProvider } from './secrets-provider';

const tokenValue = 'fake-hubspot-token-9f8e7d6c5b4a';

class CountingVault implements SecretVault {
  readonly values = new Map<string, string>();
  reads = 0;
  failNextWith: Error | undefined;

  async getSecret(name: string): Promise<KeyVaultSecret> {
    this.reads += 1;
    this.throwIfAsked();
    const value = this.values.get(name);
    if (value === undefined)
      throw new RestError(`A secret with (name/id) ${name} was not found in this key vault.`, { statusCode: 404, code: 'SecretNotFound' });
    return { name, value, properties: { name, vaultUrl: 'https://kv-test.vault.azure.net' } };
  }

  async setSecret(name: string, value: string): Promise<KeyVaultSecret> {
    this.throwIfAsked();
    this.values.set(name, value);
    return { name, value, properties: { name, vaultUrl: 'https://kv-test.vault.azure.net' } };
  }

  private throwIfAsked(): void {
    const failure = this.failNextWith;
    this.failNextWith = undefined;
    if (failure) throw failure;
  }
}

/** What the Key Vault SDK throws: a RestError that still holds the request, body (and secret) included. */
function vaultFailure(status: number, requestBody: string): RestError {
  return new RestError('The service is unavailable.', {
    statusCode: status,
    request: { url: 'https://kv-test.vault.azure.net/secrets/hubspot-token-contoso?api-version=7.5', method: 'PUT', body: requestBody } as never,
  });
}

describe('Secrets cache', () => {
  let vault: CountingVault;
  let clock: AdjustableClock;
  let secrets: SecretsProvider;

  beforeEach(() => {
    vault = new CountingVault();
    vault.values.set('hubspot-token-contoso', tokenValue);
    clock = new AdjustableClock();
    secrets = new CachedSecrets(new KeyVaultSecrets(vault), clock);
  });

  it('asks the vault once for repeated reads within five minutes, and again after', async () => {
    expect(await secrets.get('hubspot-token-contoso')).toBe(tokenValue);
    clock.advance(defaultSecretCacheMs - 1_000);
    expect(await secrets.get('hubspot-token-contoso')).toBe(tokenValue);
    expect(vault.reads).toBe(1);

    vault.values.set('hubspot-token-contoso', 'fake-rotated-token');
    clock.advance(2_000);
    expect(await secrets.get('hubspot-token-contoso')).toBe('fake-rotated-token');
    expect(vault.reads).toBe(2);
  });

  it('shares one vault call between concurrent reads of the same secret', async () => {
    const values = await Promise.all(Array.from({ length: 10 }, () => secrets.get('hubspot-token-contoso')));
    expect(new Set(values)).toEqual(new Set([tokenValue]));
    expect(vault.reads).toBe(1);
  });

  it('answers undefined for a secret that does not exist, and asks again when a failure was not an answer', async () => {
    expect(await secrets.get('openai-key-fabrikam')).toBeUndefined();
    clock.advance(defaultSecretCacheMs + 1);
    vault.failNextWith = vaultFailure(503, '');
    await expect(secrets.get('hubspot-token-contoso')).rejects.toMatchObject({ status: 503, retryable: true });
    expect(await secrets.get('hubspot-token-contoso')).toBe(tokenValue);
  });

  it('serves a value it has just stored without reading it back', async () => {
    await secrets.set('hubspot-token-fabrikam', 'fake-new-token');
    expect(await secrets.get('hubspot-token-fabrikam')).toBe('fake-new-token');
    expect(vault.reads).toBe(0);
    expect(vault.values.get('hubspot-token-fabrikam')).toBe('fake-new-token');
  });

  it('refuses a name Key Vault would refuse, before calling it', async () => {
    await expect(secrets.get('hubspot token/contoso')).rejects.toThrow(/not a valid secret name/);
    expect(vault.reads).toBe(0);
  });
});

describe('Secrets never reach a log', () => {
  const printed: string[] = [];
  beforeEach(() => {
    printed.length = 0;
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map((arg) => inspect(arg, { depth: 8 })).join(' ')));
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it('prints nothing while reading, caching and storing secrets', async () => {
    const vault = new CountingVault();
    const secrets = new CachedSecrets(new KeyVaultSecrets(vault), new AdjustableClock());
    await secrets.set('hubspot-token-contoso', tokenValue);
    await secrets.get('hubspot-token-contoso');
    expect(printed).toEqual([]);
  });

  it('drops the SDK error, request and value included, when a write fails', async () => {
    const vault = new CountingVault();
    vault.failNextWith = vaultFailure(500, JSON.stringify({ value: tokenValue }));
    const failure = await new KeyVaultSecrets(vault).set('hubspot-token-contoso', tokenValue).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SecretsError);
    expect(failure).toMatchObject({ secretName: 'hubspot-token-contoso', operation: 'set', status: 500 });
    // However the caller reports it, the value is not there to print.
    const renderings = [String(failure), inspect(failure, { depth: 20, showHidden: true }), JSON.stringify(failure), (failure as Error).stack ?? ''];
    for (const rendering of renderings) expect(rendering).not.toContain(tokenValue);
    console.error('secret write failed:', failure);
    expect(printed.join('\n')).not.toContain(tokenValue);
  });
});

describe('Local secrets from the environment', () => {
  it('reads ASEP_SECRET_<NAME>, with dashes as underscores', async () => {
    const environment: Record<string, string | undefined> = { ASEP_SECRET_HUBSPOT_TOKEN_CONTOSO: tokenValue, ASEP_SECRET_EMPTY: '' };
    const secrets = new EnvironmentSecrets(environment);
    expect(environmentVariableFor('hubspot-token-contoso')).toBe('ASEP_SECRET_HUBSPOT_TOKEN_CONTOSO');
    expect(await secrets.get('hubspot-token-contoso')).toBe(tokenValue);
    expect(await secrets.get('empty')).toBeUndefined();
    await secrets.set('openai-key-fabrikam', 'fake-openai-key');
    expect(environment.ASEP_SECRET_OPENAI_KEY_FABRIKAM).toBe('fake-openai-key');
  });
});
