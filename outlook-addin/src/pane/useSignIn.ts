import { useCallback, useEffect, useState } from 'react';
import type { Role } from '@asep/shared/access/roles';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { readTokenClaims } from '@asep/shared/client/token-claims';

export type SignIn = { status: 'signingIn' } | { status: 'signedIn'; roles: Role[] } | { status: 'failed'; problem: ApiProblem };

/**
 * Signs the rep in once, up front, so the pane knows their roles before it shows any button. `signedInAs`: the
 * roles of a sign-in the pane already made before it rendered.
 */
export function useSignIn(accessToken: AccessTokenSource, signedInAs?: Role[]) {
  const [signIn, setSignIn] = useState<SignIn>(signedInAs ? { status: 'signedIn', roles: signedInAs } : { status: 'signingIn' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // A sign-in made before the pane rendered stands for the first attempt; a retry signs in again.
    if (signedInAs && attempt === 0) return;
    let stale = false;
    accessToken()
      .then((token) => readTokenClaims(token).roles)
      .then(
        (roles) => {
          if (!stale) setSignIn({ status: 'signedIn', roles });
        },
        (error: unknown) => {
          if (!stale) setSignIn({ status: 'failed', problem: asApiProblem(error) });
        },
      );
    return () => {
      stale = true;
    };
  }, [accessToken, attempt]);

  const retry = useCallback(() => {
    setSignIn({ status: 'signingIn' });
    setAttempt((count) => count + 1);
  }, []);

  return { signIn, retry };
}
