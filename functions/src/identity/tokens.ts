import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { unauthorized } from '../http/problem';
import { principalFromClaims, type Principal } from './principal';

export interface TokenValidator {
  validate(token: string): Promise<Principal>;
}

interface TrustedIssuer {
  keys: JWTVerifyGetKey;
  /** Any one of these is accepted: the API's client id (what v2 access tokens carry) or its app id URI. */
  audience: string | string[];
  /** The issuer a token for this tenant must carry, or undefined when the tenant is not trusted. */
  issuerFor(tenantId: string): Promise<string | undefined>;
}

/** How far the caller's clock may be from ours: Entra's own guidance for token lifetimes allows five minutes. */
export const clockSkewSeconds = 300;
/** No access token ASEP accepts was issued longer ago than this (Entra's live about an hour, the local issuer's at most a day). */
const maxTokenAge = '25h';

/**
 * Validates signature, issuer, audience and lifetime the same way in every environment. A token must say when
 * it was issued and from when until when it is valid (`iat`, `nbf`, `exp`): one without them would be valid forever.
 */
function validatorFor(trusted: TrustedIssuer): TokenValidator {
  return {
    async validate(token) {
      let claims: Record<string, unknown>;
      try {
        const [, payload] = token.split('.');
        claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      } catch {
        throw unauthorized('The bearer token is not a JWT.');
      }
      const tenantId = typeof claims.tid === 'string' ? claims.tid : '';
      const issuer = await trustedIssuer(trusted, tenantId);
      try {
        const { payload } = await jwtVerify(token, trusted.keys, {
          issuer,
          audience: trusted.audience,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'nbf', 'iat'],
          clockTolerance: clockSkewSeconds,
          maxTokenAge,
        });
        return principalFromClaims(payload);
      } catch (error) {
        throw unauthorized(`The bearer token was rejected: ${(error as Error).message}`);
      }
    },
  };
}

async function trustedIssuer(trusted: TrustedIssuer, tenantId: string): Promise<string> {
  const issuer = tenantId ? await trusted.issuerFor(tenantId) : undefined;
  if (!issuer) throw unauthorized('The token is not from a tenant this service trusts.');
  return issuer;
}

/** Entra ID v2 tokens, for tenants that have been onboarded. */
export function entraTokenValidator(audience: string | string[], isOnboarded: (tenantId: string) => Promise<boolean>): TokenValidator {
  return validatorFor({
    keys: createRemoteJWKSet(new URL('https://login.microsoftonline.com/common/discovery/v2.0/keys')),
    audience,
    issuerFor: async (tenantId) => ((await isOnboarded(tenantId)) ? `https://login.microsoftonline.com/${tenantId}/v2.0` : undefined),
  });
}

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
 * the local validator trusts. It exists only when ASEP_ENV=local.
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
