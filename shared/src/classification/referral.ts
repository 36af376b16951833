import { z } from 'zod';

/** Someone a reply names to write to instead. Apart from schema.ts so that browsers load only this. */
export const referralSchema = z.object({ name: z.string().optional(), email: z.string().optional() });
export type Referral = z.infer<typeof referralSchema>;
