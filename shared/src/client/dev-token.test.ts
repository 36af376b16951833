import { describe, expect, it } from 'vitest';
import { cachedTokenSource } from './dev-token';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenExpiringIn = (seconds: number) => `${base64url({ alg: 'none' })}.${base64url({ exp: Math.floor(Date.now() / 1000) + seconds })}.`;

describe('cachedTokenSource', () => {
  it('asks for one token when several calls start at once, and keeps it for the next', async () => {
    let requests = 0;
    const source = cachedTokenSource(async () => {
      requests += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return tokenExpiringIn(3600);
    });
    const tokens = await Promise.all([source(), source(), source()]);
    expect(new Set(tokens).size).toBe(1);
    expect(await source()).toBe(tokens[0]);
    expect(requests).toBe(1);
  });

  it('asks again after a failed request instead of repeating the failure', async () => {
    let requests = 0;
    const source = cachedTokenSource(async () => {
      requests += 1;
      if (requests === 1) throw new Error('sign-in refused');
      return tokenExpiringIn(3600);
    });
    await expect(source()).rejects.toThrow('sign-in refused');
    await expect(source()).resolves.toMatch(/\./);
    expect(requests).toBe(2);
  });

  it('renews a token that is about to expire', async () => {
    let requests = 0;
    const source = cachedTokenSource(async () => {
      requests += 1;
      return tokenExpiringIn(30);
    });
    await source();
    await source();
    expect(requests).toBe(2);
  });
});
