import type { AccessTokenSource } from '@asep/shared/client/dev-token';

export interface NestedAppAuthSettings {
  /** The Entra app registration of the add-in (SPA redirect `brk-multihub://<add-in origin>`). */
  clientId: string;
  /** The one delegated scope the pane needs: the ASEP API's, e.g. `api://<host>/<clientId>/access_as_user`. */
  apiScope: string;
}

/**
 * Tokens through nested app authentication in Outlook: MSAL asks Outlook, which already signed the user in.
 * Silent first; a popup only when Entra needs the user (first consent, MFA, expired session).
 * MSAL starts loading at once, in its own chunk beside the pane's; its client is created on the first token
 * request, which the pane makes once Office is ready (nested app authentication talks through Office).
 */
export function nestedAppAuthTokenSource(settings: NestedAppAuthSettings): AccessTokenSource {
  const library = import('@azure/msal-browser');
  let client: ReturnType<typeof createClient> | undefined;
  const createClient = () =>
    library.then((msal) =>
      msal.createNestablePublicClientApplication({
        auth: { clientId: settings.clientId, authority: 'https://login.microsoftonline.com/organizations' },
      }),
    );

  return async () => {
    client ??= createClient();
    const app = await client;
    const request = { scopes: [settings.apiScope] };
    const account = app.getActiveAccount() ?? app.getAllAccounts()[0];
    let silentFailure: unknown;
    try {
      return (await app.acquireTokenSilent({ ...request, account })).accessToken;
    } catch (error) {
      // Any silent failure (consent needed, no cached account, host without NAA) gets one interactive try.
      silentFailure = error;
    }
    try {
      const result = await app.acquireTokenPopup(request);
      app.setActiveAccount(result.account);
      return result.accessToken;
    } catch (popupFailure) {
      throw new Error(`Sign-in failed: ${describe(popupFailure)} (silent sign-in: ${describe(silentFailure)})`, { cause: popupFailure });
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
