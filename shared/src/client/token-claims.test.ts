import { describe, expect, it } from 'vitest';
import { readTokenClaims } from './token-claims';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${base64url({ alg: 'RS256' })}.${base64url(claims)}.signature`;

describe('readTokenClaims', () => {
  it('reads the name, the known app roles and the expiry', () => {
    expect(readTokenClaims(jwt({ name: 'Zoë Manager', roles: ['Manager', 'Janitor'], exp: 1_800_000_000 }))).toEqual({
      name: 'Zoë Manager',
      roles: ['Manager'],
      expiresAt: 1_800_000_000_000,
    });
  });

  it('treats a token without roles as having none', () => {
    expect(readTokenClaims(jwt({ oid: 'x' })).roles).toEqual([]);
  });

  it('refuses something that is not a JWT', () => {
    expect(() => readTokenClaims('opaque-token')).toThrow('not a JWT');
  });
});
