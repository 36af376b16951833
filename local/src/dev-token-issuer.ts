import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { validatorFor, type TokenValidator } from '@asep/functions/identity/tokens';

export const localIssuer = 'https://asep.local/issuer';
export const localAudience = 'api://asep-local';

export interface DevTokenRequest {
  tenantId: string;
  userId: string;
  name: string;
  roles: string[];
  /** Seconds until expiry; tests use a negative value to mint expired tokens. */
  expiresInSeconds?: number;
}

/**
 * The local suite's token issuer: a key pair kept under `.asep/` (never in the repo), whose public key
 * the local validator trusts. Production code never sees it: the
 * local suite passes its validator in as `Services.tokens`.
 */
export class LocalTokenIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async load(keyFile: string): Promise<LocalTokenIssuer> {
    let jwk: JWK;
    try {
      jwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
    } catch {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      jwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now()}`, alg: 'RS256' };
      await mkdir(dirname(keyFile), { recursive: true });
      await writeFile(keyFile, JSON.stringify(jwk), { mode: 0o600 });
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
    return new LocalTokenIssuer((await importJWK(jwk, 'RS256')) as CryptoKey, { ...publicJwk, use: 'sig' });
  }

  async issue(request: DevTokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: request.tenantId, oid: request.userId, name: request.name, roles: request.roles })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid })
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setSubject(request.userId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (request.expiresInSeconds ?? 8 * 3600))
      .sign(this.privateKey);
  }

  validator(): TokenValidator {
    return validatorFor({ keys: createLocalJWKSet({ keys: [this.publicJwk] }), audience: localAudience, issuerFor: async () => localIssuer });
  }
}
