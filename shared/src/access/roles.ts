import { z } from 'zod';

/** Entra app roles, from most to least privileged; Auditor stands apart (read-only governance). */
export const roleSchema = z.enum(['Owner', 'Admin', 'RevOps', 'Manager', 'Operator', 'Auditor']);
export type Role = z.infer<typeof roleSchema>;
export const roles = roleSchema.options;
