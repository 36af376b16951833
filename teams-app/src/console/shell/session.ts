import { createContext, useContext } from 'react';
import { isAllowed, type Permission } from '@asep/shared/access/matrix';
import type { Session } from '../auth/signIn';

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside the signed-in console.');
  return session;
}

/** Whether the signed-in user may take an action: the same permission table the API enforces. */
export function usePermission(permission: Permission): boolean {
  return isAllowed(useSession().user.roles, permission);
}
