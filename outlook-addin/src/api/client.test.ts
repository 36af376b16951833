import { describe, expect, it } from 'vitest';
import { positiveReplyInsight } from '../testing/insightFixtures';
import { requestDevToken } from '@asep/shared/client/dev-token';
import { createApiClient } from './client';
import { ApiProblem } from '@asep/shared/client/problem';

interface Sent {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}

function fakeApi(respond: (request: Sent) => Response) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const request = {
      method: init?.method ?? 'GET',
      url: String(input),
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    sent.push(request);
    return respond(request);
  };
  return { sent, api: createApiClient({ baseUrl: 'https://asep.example/api', accessToken: async () => 'token-1', fetch }) };
}

const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('API client', () => {
  it('asks for the insight of a message by its internet message id, with the rep’s token', async () => {
    const insight = positiveReplyInsight();
    const { api, sent } = fakeApi(() => json(insight));

    await expect(api.insightForMessage('<reply-ana@contoso.example>')).resolves.toEqual(insight);
    expect(sent).toEqual([
      {
        method: 'GET',
        url: 'https://asep.example/api/v1/insights/by-message?internetMessageId=%3Creply-ana%40contoso.example%3E',
        authorization: 'Bearer token-1',
        body: undefined,
      },
    ]);
  });

  it('calls each action at its route with its body', async () => {
    const { api, sent } = fakeApi((request) => {
      if (request.url.includes('/availability')) return json({ slots: [], timeZone: 'Europe/Berlin' });
      if (request.url.includes('/bookings'))
        return json(
          {
            bookingId: 'b-1',
            prospectId: 'p-ana',
            status: 'booked',
            meetingId: 'm-1',
            start: '2025-06-02T14:00:00Z',
            end: '2025-06-02T14:30:00Z',
            rep: { name: 'Sam Seller', mailbox: 'sam@tenant.example', timeZone: 'Europe/London' },
            bookedAt: '2025-05-30T09:00:00Z',
          },
          201,
        );
      return json({});
    });

    await api.availability('p-ana', 5);
    await api.book({ prospectId: 'p-ana', start: '2025-06-02T14:00:00Z', end: '2025-06-02T14:30:00Z' });
    await api.approve('appr-1');
    await api.correctLabel('<r@x>', 'neutral');
    await api.suppress('ana@contoso.example', 'asked to stop');
    await api.addProspect({ email: 'new@fabrikam.example', fullName: 'New Person' });
    await api.logToCrm('<r@x>');
    await api.reschedule('b-1', { start: '2025-06-03T14:00:00Z', end: '2025-06-03T14:30:00Z' });
    await api.cancelBooking('b-1', 'Out sick');
    await api.cancelBooking('b/2');

    expect(sent.map(({ method, url, body }) => [method, url.replace('https://asep.example', ''), body])).toEqual([
      ['GET', '/api/v1/availability?prospectId=p-ana&days=5', undefined],
      ['POST', '/api/v1/bookings', { prospectId: 'p-ana', start: '2025-06-02T14:00:00Z', end: '2025-06-02T14:30:00Z' }],
      ['POST', '/api/v1/approvals/appr-1/approve', {}],
      ['POST', '/api/v1/replies/%3Cr%40x%3E/label', { label: 'neutral' }],
      ['POST', '/api/v1/suppressions', { email: 'ana@contoso.example', reason: 'asked to stop' }],
      ['POST', '/api/v1/prospects', { email: 'new@fabrikam.example', fullName: 'New Person' }],
      ['POST', '/api/v1/crm/log', { internetMessageId: '<r@x>' }],
      ['POST', '/api/v1/bookings/b-1/reschedule', { start: '2025-06-03T14:00:00Z', end: '2025-06-03T14:30:00Z' }],
      ['POST', '/api/v1/bookings/b-1/cancel', { reason: 'Out sick' }],
      ['POST', '/api/v1/bookings/b%2F2/cancel', {}],
    ]);
  });

  it('turns a problem+json answer into an ApiProblem with its status, title and detail', async () => {
    const { api } = fakeApi(() =>
      json({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not part of any campaign' }, 404, 'application/problem+json'),
    );

    await expect(api.insightForMessage('<x@y>')).rejects.toMatchObject({ status: 404, title: 'Not Found', detail: 'Not part of any campaign' });
  });

  it('reports an answer that does not match the shared schema instead of showing half a pane', async () => {
    const { api } = fakeApi(() => json({ classification: { label: 'maybe' } }));

    const failure = await api.insightForMessage('<x@y>').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiProblem);
    expect((failure as ApiProblem).title).toMatch(/does not understand/);
  });

  it('says so when the service cannot be reached', async () => {
    const api = createApiClient({ baseUrl: '', accessToken: async () => 't', fetch: () => Promise.reject(new TypeError('Failed to fetch')) });

    await expect(api.insightForMessage('<x@y>')).rejects.toMatchObject({ status: 0, title: 'The ASEP service could not be reached' });
  });

  it('refuses to send a booking whose times are not instants', async () => {
    const { api, sent } = fakeApi(() => json({}));

    await expect(api.book({ prospectId: 'p', start: 'tomorrow 10am', end: '2025-06-02T14:30:00Z' })).rejects.toThrow(
      /Invalid booking request[\s\S]*start/,
    );
    expect(sent).toEqual([]);
  });

  it('gets a local dev token for the demo rep', async () => {
    const sent: unknown[] = [];
    const token = await requestDevToken(
      '/api',
      { tenantId: 't-1', userId: 'rep@demo.asep.local', name: 'Demo Rep', roles: ['Operator'] },
      'the pane',
      async (url, init) => {
        sent.push([url, JSON.parse(String(init?.body))]);
        return json({ access_token: 'dev-token' });
      },
    );

    expect(token).toBe('dev-token');
    expect(sent).toEqual([['/api/dev/token', { tenantId: 't-1', userId: 'rep@demo.asep.local', name: 'Demo Rep', roles: ['Operator'] }]]);
  });
});
