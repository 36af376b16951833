import { z } from 'zod';
import { roleSchema } from '@asep/shared/access/roles';

const paneConfigSchema = z.object({
  /** The API's base, up to and including `/api`; by default the pane's own origin (the local suite serves both). */
  apiBaseUrl: z
    .string()
    .default('/api')
    .transform((url) => url.replace(/\/+$/, '')),
  signIn: z
    .object({ clientId: z.string().min(1), apiScope: z.string().min(1) })
    .optional()
    .describe('Nested app authentication settings; required in Outlook'),
  /** Outside Outlook only: the stored message to open, by internet message id. */
  devMessageId: z.string().min(1).optional(),
  /** Outside Outlook only: the role of the demo rep's token, to try the buttons of other roles. */
  devRole: roleSchema.default('Operator'),
});
export type PaneConfig = z.infer<typeof paneConfigSchema>;

/** Build-time settings (Vite `VITE_ASEP_*` variables) merged with the page's query string. */
export function readPaneConfig(query: string, env: Record<string, string | boolean | undefined>): PaneConfig {
  const params = new URLSearchParams(query);
  const text = (name: string) => {
    const value = env[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const clientId = text('VITE_ASEP_ENTRA_CLIENT_ID');
  const apiScope = text('VITE_ASEP_API_SCOPE');
  const parsed = paneConfigSchema.safeParse({
    apiBaseUrl: text('VITE_ASEP_API_BASE_URL'),
    signIn: clientId || apiScope ? { clientId, apiScope } : undefined,
    devMessageId: params.get('devMessage') ?? undefined,
    devRole: params.get('devRole') ?? undefined,
  });
  if (!parsed.success) throw new Error(`The pane is misconfigured: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
