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

/** How far the caller's clock may be from ours: Entra's own guidance for token lifetimes allows five minutes. */
export const clockSkewSeconds = 300;
/** No access token ASEP accepts was issued longer ago than this (Entra's live about an hour, the local issuer's at most a day). */
const maxTokenAge = '25h';

/**
 * Validates signature, issuer, audience and lifetime the same way in every environment. A token must say when
 * it was issued and from when until when it is valid (`iat`, `nbf`, `exp`): one without them would be valid forever.
 */
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
