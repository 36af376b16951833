import { describe, expect, it } from 'vitest';
import { readTokenClaims } from './tokenClaims';

function unsignedToken(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.`;
}

describe('readTokenClaims', () => {
  it('reads the known app roles and the expiry', () => {
    expect(readTokenClaims(unsignedToken({ roles: ['Manager', 'Operator', 'SomethingElse'], exp: 1_750_000_000, name: 'Zoë' }))).toEqual({
      roles: ['Manager', 'Operator'],
      expiresAt: 1_750_000_000_000,
    });
  });

  it('reads no roles from a token without the claim', () => {
    expect(readTokenClaims(unsignedToken({})).roles).toEqual([]);
  });

  it('rejects something that is not a JWT', () => {
    expect(() => readTokenClaims('opaque-token')).toThrow(/not a JWT/);
  });
});
