import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { unauthorized } from '../http/problem';
import { principalFromClaims, type Principal } from './principal';

export interface TokenValidator {
  validate(token: string): Promise<Principal>;
}

export interface TrustedIssuer {
  keys: JWTVerifyGetKey;
  /** Any one of these is accepted: the API's client id (what v2 access tokens carry) or its app id URI. */
  audience: string | string[];
  /** The issuer a token for this tenant must carry, or undefined when the tenant is not trusted. */
  issuerFor(tenantId: string): Promise<string | undefined>;
}

/** Validates signature, issuer, audience and expiry the same way in every environment. */
export function validatorFor(trusted: TrustedIssuer): TokenValidator {
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
        const { payload } = await jwtVerify(token, trusted.keys, { issuer, audience: trusted.audience, algorithms: ['RS256'] });
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
