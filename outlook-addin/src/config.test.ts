import { describe, expect, it } from 'vitest';
import { readPaneConfig } from './config';

describe('readPaneConfig', () => {
  it('calls the API on the pane’s own origin unless the build names another', () => {
    expect(readPaneConfig('', {}).apiBaseUrl).toBe('/api');
    expect(readPaneConfig('', { VITE_ASEP_API_BASE_URL: 'https://asep.example/api/' }).apiBaseUrl).toBe('https://asep.example/api');
  });

  it('reads the dev message and role from the query string', () => {
    expect(readPaneConfig('?devMessage=%3Creply%40x%3E&devRole=Manager', {})).toMatchObject({ devMessageId: '<reply@x>', devRole: 'Manager' });
    expect(readPaneConfig('?devMessage=abc', {}).devRole).toBe('Operator');
  });

  it('rejects an unknown role and half a sign-in configuration with a clear message', () => {
    expect(() => readPaneConfig('?devRole=God', {})).toThrow(/misconfigured[\s\S]*devRole/);
    expect(() => readPaneConfig('', { VITE_ASEP_ENTRA_CLIENT_ID: 'client' })).toThrow(/misconfigured[\s\S]*signIn.apiScope/);
  });
});
