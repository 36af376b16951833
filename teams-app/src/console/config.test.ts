import { describe, expect, it } from 'vitest';
import { readConsoleConfig } from './config';

describe('readConsoleConfig', () => {
  it('calls the API on its own origin unless the build names another', () => {
    expect(readConsoleConfig('', {}).apiBaseUrl).toBe('/api');
    expect(readConsoleConfig('', { VITE_ASEP_API_BASE_URL: 'https://asep-func.example.net/api/' }).apiBaseUrl).toBe(
      'https://asep-func.example.net/api',
    );
  });

  it('signs a plain browser in as the demo Manager, or as the demo user of ?devRole', () => {
    expect(readConsoleConfig('', {}).demoUser.name).toBe('Max Manager');
    expect(readConsoleConfig('?devRole=Auditor', {}).demoUser.name).toBe('Ada Auditor');
  });

  it('says so when ?devRole names a role no demo user has', () => {
    const config = readConsoleConfig('?devRole=Boss', {});
    expect(config.demoUser.name).toBe('Max Manager');
    expect(config.notices).toEqual([expect.stringContaining('There is no demo user with the role "Boss"')]);
  });
});
