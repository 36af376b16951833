import { useMemo } from 'react';
import { useSession } from '../shell/session';
import { createConsoleApi, type ConsoleApi } from './client';

/** The API client for the signed-in user. */
export function useApi(): ConsoleApi {
  const { apiBaseUrl, accessToken } = useSession();
  return useMemo(() => createConsoleApi({ apiBaseUrl, accessToken }), [apiBaseUrl, accessToken]);
}
