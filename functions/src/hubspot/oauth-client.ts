import { z } from 'zod';
import type { HubSpotAppConfig } from './config';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  // Present since HubSpot's August 2025 change; older answers need the token metadata call instead.
  hub_id: z.number().optional(),
  scopes: z.array(z.string()).optional(),
});
const tokenInfoSchema = z.object({ hub_id: z.number(), scopes: z.array(z.string()) });
const tokenErrorSchema = z.object({ status: z.string().optional(), message: z.string().optional() });

export interface GrantedTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  hubId: number;
  scopes: string[];
}

/** HubSpot refused a grant. `revoked` means the refresh token is dead (app uninstalled or access withdrawn). */
export class HubSpotOAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly revoked: boolean,
  ) {
    super(`HubSpot refused the OAuth grant (${status} ${code}).`);
  }
}

/** HubSpot's OAuth token endpoint (`POST /oauth/v1/token`, form-encoded) and its token metadata endpoint. */
export class HubSpotOAuthClient {
  constructor(
    private readonly config: Pick<HubSpotAppConfig, 'apiBaseUrl' | 'clientId' | 'redirectUri'>,
    private readonly clientSecret: () => Promise<string>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  exchangeCode(code: string): Promise<GrantedTokens> {
    return this.grant({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri });
  }

  refresh(refreshToken: string): Promise<GrantedTokens> {
    return this.grant({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async grant(fields: Record<string, string>): Promise<GrantedTokens> {
    const body = new URLSearchParams({ ...fields, client_id: this.config.clientId, client_secret: await this.clientSecret() });
    const response = await this.fetchImpl(new URL('/oauth/v1/token', this.config.apiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const answer: unknown = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = tokenErrorSchema.safeParse(answer);
      const code = (error.success && error.data.status) || 'UNKNOWN';
      throw new HubSpotOAuthError(response.status, code, code === 'BAD_REFRESH_TOKEN');
    }
    const tokens = tokenResponseSchema.safeParse(answer);
    if (!tokens.success) throw new HubSpotOAuthError(response.status, 'UNEXPECTED_TOKEN_RESPONSE', false);
    const { access_token, refresh_token, expires_in, hub_id, scopes } = tokens.data;
    const info = hub_id !== undefined && scopes ? { hub_id, scopes } : await this.tokenInfo(access_token);
    return { accessToken: access_token, refreshToken: refresh_token, expiresInSeconds: expires_in, hubId: info.hub_id, scopes: info.scopes };
  }

  private async tokenInfo(accessToken: string): Promise<z.infer<typeof tokenInfoSchema>> {
    const response = await this.fetchImpl(new URL(`/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`, this.config.apiBaseUrl), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    const info = tokenInfoSchema.safeParse(await response.json().catch(() => ({})));
    if (!response.ok || !info.success) throw new HubSpotOAuthError(response.status, 'TOKEN_METADATA_UNAVAILABLE', false);
    return info.data;
  }
}
