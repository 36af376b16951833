import { z } from 'zod';
import { roleSchema, type Role } from '@asep/shared/access/roles';
import { tenantIdSchema, userIdSchema } from '@asep/shared/ids/ids';

/** Who is calling: always taken from a validated token, never from a body, path or query. */
export interface Principal {
  tenantId: string;
  userId: string;
  name: string;
  roles: Role[];
}

export const principalClaimsSchema = z.object({
  tid: tenantIdSchema,
  oid: userIdSchema,
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  roles: z.array(z.string()).default([]),
});

export function principalFromClaims(claims: unknown): Principal {
  const parsed = principalClaimsSchema.parse(claims);
  return {
    tenantId: parsed.tid,
    userId: parsed.oid,
    name: parsed.name ?? parsed.preferred_username ?? parsed.oid,
    roles: parsed.roles.filter((role): role is Role => roleSchema.safeParse(role).success),
  };
}
