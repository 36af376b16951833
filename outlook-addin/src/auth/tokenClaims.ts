import { z } from 'zod';
import { roleSchema, type Role } from '@asep/shared/access/roles';

const claimsSchema = z.object({ roles: z.array(z.string()).default([]), exp: z.number().optional() });

export interface TokenClaims {
  roles: Role[];
  /** Epoch milliseconds. */
  expiresAt?: number;
}

/**
 * What the pane needs from an access token for the ASEP API. Read, not verified: the roles only decide which
 * buttons to show, and the API validates the token on every call.
 */
export function readTokenClaims(accessToken: string): TokenClaims {
  const payload = accessToken.split('.')[1];
  if (!payload) throw new Error('The access token is not a JWT.');
  const binary = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  const json = new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  const claims = claimsSchema.parse(JSON.parse(json));
  return {
    roles: claims.roles.filter((role): role is Role => roleSchema.safeParse(role).success),
    expiresAt: claims.exp === undefined ? undefined : claims.exp * 1000,
  };
}
