import type { Clock } from '../clock/clock';
import type { SecretsProvider } from './secrets-provider';

export const defaultSecretCacheMs = 5 * 60_000;

interface Cached {
  value: string | undefined;
  fetchedAt: number;
}

/**
 * Keeps each secret for a short while, so a burst of requests costs one vault call rather than one each,
 * while a rotated secret is picked up within `ttlMs`. Values stay in this process's memory only. A failed
 * lookup is not cached: the next call asks the vault again.
 */
export class CachedSecrets implements SecretsProvider {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly source: SecretsProvider,
    private readonly clock: Clock,
    private readonly ttlMs = defaultSecretCacheMs,
  ) {}

  async get(name: string): Promise<string | undefined> {
    const cached = this.cache.get(name);
    if (cached && this.clock.now().getTime() - cached.fetchedAt < this.ttlMs) return cached.value;
    const pending = this.inFlight.get(name) ?? this.fetch(name);
    this.inFlight.set(name, pending);
    return pending;
  }

  async set(name: string, value: string): Promise<void> {
    await this.source.set(name, value);
    this.cache.set(name, { value, fetchedAt: this.clock.now().getTime() });
  }

  private async fetch(name: string): Promise<string | undefined> {
    try {
      const value = await this.source.get(name);
      this.cache.set(name, { value, fetchedAt: this.clock.now().getTime() });
      return value;
    } finally {
      this.inFlight.delete(name);
    }
  }
}
