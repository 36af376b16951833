import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { localAudience, localIssuer, LocalTokenIssuer } from '@asep/local/dev-token-issuer';
import { clockSkewSeconds, type TokenValidator } from './tokens';

let signingKey: CryptoKey;
let kid: string;
let validator: TokenValidator;

beforeAll(async () => {
  // The issuer's own key pair: these tokens carry a valid signature, so only their claims decide.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  kid = 'test-key';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
  const keyFile = join(await mkdtemp(join(tmpdir(), 'asep-tokens-')), 'issuer.json');
  await writeFile(keyFile, JSON.stringify(jwk));
  signingKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
  validator = (await LocalTokenIssuer.load(keyFile)).validator();
});

const now = () => Math.floor(Date.now() / 1000);

function token(claims: { iat?: number; nbf?: number; exp?: number }): Promise<string> {
  const jwt = new SignJWT({ tid: 'tenant-tokens', oid: 'user-1', name: 'Tess', roles: ['Owner'] })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(localIssuer)
    .setAudience(localAudience);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(signingKey);
}

const accepted = async (claims: Parameters<typeof token>[0]) =>
  validator.validate(await token(claims)).then(
    () => true,
    (error: { status?: number }) => (error.status === 401 ? false : Promise.reject(error)),
  );

describe('bearer tokens', () => {
  it('accept a token that says when it was issued and from when until when it is valid', async () => {
    expect(await accepted({ iat: now(), nbf: now(), exp: now() + 3600 })).toBe(true);
  });

  it('refuse a token signed by the issuer that lacks exp, nbf or iat', async () => {
    expect(await accepted({ iat: now(), nbf: now() })).toBe(false);
    expect(await accepted({ iat: now(), exp: now() + 3600 })).toBe(false);
    expect(await accepted({ nbf: now(), exp: now() + 3600 })).toBe(false);
  });

  it('allow five minutes of clock skew either way, and no more', async () => {
    const withinSkew = clockSkewSeconds - 30;
    const beyondSkew = clockSkewSeconds + 30;
    expect(await accepted({ iat: now() - 3600, nbf: now() - 3600, exp: now() - withinSkew })).toBe(true);
    expect(await accepted({ iat: now() - 3600, nbf: now() - 3600, exp: now() - beyondSkew })).toBe(false);
    expect(await accepted({ iat: now(), nbf: now() + withinSkew, exp: now() + 3600 })).toBe(true);
    expect(await accepted({ iat: now(), nbf: now() + beyondSkew, exp: now() + 3600 })).toBe(false);
    expect(await accepted({ iat: now() + beyondSkew, nbf: now(), exp: now() + 3600 })).toBe(false);
  });

  it('refuse a token issued longer ago than any access token lives', async () => {
    expect(await accepted({ iat: now() - 30 * 3600, nbf: now() - 30 * 3600, exp: now() + 3600 })).toBe(false);
  });
});
