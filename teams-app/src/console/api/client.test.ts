import { describe, expect, it } from 'vitest';
import { createConsoleApi } from './client';
import { ApiProblem } from '@asep/shared/client/problem';

function recordingFetch(answer: () => Response) {
  const requests: { url: string; method: string; authorization: string | null; body: unknown }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    requests.push({
      url: String(input),
      method: init?.method ?? 'GET',
      authorization: headers.get('authorization'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return answer();
  };
  return { requests, fetch };
}

const policy = {
  tenantId: 't1',
  version: 3,
  rules: {
    approvals: { firstTouch: true, expiryHours: 72 },
    recipients: { blockedTlds: ['gov'], allowedDomains: [], excludedDomains: [] },
    caps: { newRecipientsPerMailboxPerDay: 40 },
    deals: { createThreshold: 0.85, askThreshold: 0.65, neverCreateOn: ['unsubscribe'], dedupeWindowDays: 90 },
  },
  updatedBy: 'u1',
  updatedAt: '2026-01-05T10:00:00.000Z',
};

describe('createConsoleApi', () => {
  it('sends the policy as written, with the version it was edited from and the user token', async () => {
    const { requests, fetch } = recordingFetch(() => Response.json(policy));
    const api = createConsoleApi({ apiBaseUrl: 'https://api.example/api', accessToken: async () => 'token-1', fetch });
    const saved = await api.savePolicy({ caps: { newRecipientsPerMailboxPerDay: 'abc' } }, 2);
    expect(saved.version).toBe(3);
    expect(requests).toEqual([
      {
        url: 'https://api.example/api/v1/policies',
        method: 'PUT',
        authorization: 'Bearer token-1',
        body: { rules: { caps: { newRecipientsPerMailboxPerDay: 'abc' } }, version: 2 },
      },
    ]);
  });

  it('turns a problem+json answer into an ApiProblem with its detail and errors', async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response(
          JSON.stringify({
            title: 'Validation failed',
            status: 400,
            detail: 'The request body is not valid',
            errors: [{ field: 'reason', message: 'a reason is required' }],
          }),
          {
            status: 400,
            headers: { 'content-type': 'application/problem+json' },
          },
        ),
    );
    const api = createConsoleApi({ apiBaseUrl: '/api', accessToken: async () => 't', fetch });
    const failure = await api.changeKillSwitch({ scope: 'tenant', active: true, reason: '' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiProblem);
    expect(failure).toMatchObject({
      status: 400,
      detail: 'The request body is not valid',
      errors: [{ field: 'reason', message: 'a reason is required' }],
    });
  });

  it('reports an answer it does not understand instead of passing it on', async () => {
    const { fetch } = recordingFetch(() => Response.json({ campaigns: 'none' }));
    const api = createConsoleApi({ apiBaseUrl: '/api', accessToken: async () => 't', fetch });
    await expect(api.killSwitches()).rejects.toMatchObject({ title: 'The ASEP service sent an answer the console does not understand' });
  });

  it('says the service could not be reached when the network fails', async () => {
    const api = createConsoleApi({
      apiBaseUrl: '/api',
      accessToken: async () => 't',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(api.campaigns()).rejects.toMatchObject({ status: 0, title: 'The ASEP service could not be reached', detail: 'Failed to fetch' });
  });

  it('escapes ids in paths', async () => {
    const { requests, fetch } = recordingFetch(() => Response.json({ campaignId: 'a/b', status: 'stopped', sequencesStopped: 0 }));
    await createConsoleApi({ apiBaseUrl: '/api', accessToken: async () => 't', fetch }).stopCampaign('a/b');
    expect(requests[0]!.url).toBe('/api/v1/campaigns/a%2Fb/stop');
  });
});
