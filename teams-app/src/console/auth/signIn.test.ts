import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConsoleConfig } from '../config';
import { signIn } from './signIn';
import { connectToTeams } from './teamsHost';

vi.mock('./teamsHost', () => ({ connectToTeams: vi.fn() }));

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${base64url({ alg: 'RS256' })}.${base64url(claims)}.signature`;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.mocked(connectToTeams).mockReset();
});

describe('signIn', () => {
  it('inside Teams, calls the API with the Teams SSO token and never asks for a dev token', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const teamsToken = jwt({ name: 'Mia Manager', roles: ['Manager'], exp: 4_000_000_000 });
    vi.mocked(connectToTeams).mockResolvedValue({ getAuthToken: async () => teamsToken, theme: 'dark', onThemeChange: () => {} });

    const session = await signIn(readConsoleConfig('?devRole=Admin', {}));

    expect(session.user).toEqual({ name: 'Mia Manager', roles: ['Manager'] });
    expect(await session.accessToken()).toBe(teamsToken);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('outside Teams, signs in as the chosen demo user with a local dev token', async () => {
    const devToken = jwt({ name: 'Adam Admin', roles: ['Admin'], exp: 4_000_000_000 });
    const fetch = vi.fn(async () => Response.json({ access_token: devToken }));
    vi.stubGlobal('fetch', fetch);
    vi.mocked(connectToTeams).mockResolvedValue(undefined);

    const session = await signIn(readConsoleConfig('?devRole=Admin', {}));

    expect(session.teams).toBeUndefined();
    expect(session.user).toEqual({ name: 'Adam Admin', roles: ['Admin'] });
    expect(await session.accessToken()).toBe(devToken);
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/dev/token');
    expect(JSON.parse(String(init.body))).toEqual({
      tenantId: '00000000-0000-4000-8000-000000000001',
      userId: '00000000-0000-4000-8000-00000000a002',
      name: 'Adam Admin',
      roles: ['Admin'],
    });
  });

  it('outside Teams and outside the local suite, says to open the console in Teams', async () => {
    vi.stubGlobal('fetch', async () => new Response('Not found', { status: 404 }));
    vi.mocked(connectToTeams).mockResolvedValue(undefined);
    await expect(signIn(readConsoleConfig('', {}))).rejects.toMatchObject({ title: 'Open the console in Microsoft Teams' });
  });
});
