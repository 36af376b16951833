import { permissionMatrix } from '../access/matrix';
import type { Role } from '../access/roles';

export interface TokenClaims {
  name?: string;
  roles: Role[];
  /** Epoch milliseconds. */
  expiresAt?: number;
}

/** Every role some permission names; a role outside them could not do anything in the console anyway. */
const knownRoles: ReadonlySet<string> = new Set(Object.values(permissionMatrix).flat());

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && knownRoles.has(value);
}

/**
 * What the console needs from an access token for the ASEP API. Read, not verified: the roles only decide
 * which pages and buttons to show, and the API validates the token on every call.
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
  const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
  if (typeof claims !== 'object' || claims === null) throw new Error('The access token carries no claims.');
  const { name, roles, exp } = claims as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : undefined,
    roles: Array.isArray(roles) ? roles.filter(isRole) : [],
    expiresAt: typeof exp === 'number' ? exp * 1000 : undefined,
  };
}
