import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import type { Role } from '@asep/shared/access/roles';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client';
import { ApiProblem } from '@asep/shared/client/problem';
import { positiveReplyInsight, selectedMessage } from '../testing/insightFixtures';
import { InsightBody } from './InsightPane';
import type { InsightView } from './insightState';

const unusedApi = createApiClient({
  baseUrl: '',
  accessToken: async () => 'token',
  fetch: () => Promise.reject(new Error('rendering must not call the API')),
});

/** The pane's text for a view state, as a rep (or a screen reader) gets it. */
function paneText(view: InsightView, roles: Role[] = ['Operator']): string {
  const html = renderToStaticMarkup(
    <FluentProvider theme={webLightTheme}>
      <InsightBody view={view} message={selectedMessage()} roles={roles} api={unusedApi} reload={() => undefined} />
    </FluentProvider>,
  );
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<([^>]*?)aria-label="([^"]*)"([^>]*)>/g, '<$1$3> $2 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}

describe('insight view states', () => {
  it('shows a loading skeleton, never a blank pane, while the insight loads', () => {
    expect(paneText({ kind: 'loading' })).toContain('Loading what ASEP knows about this email');
  });

  it('says what the reply is, how sure, why, who, where the deal stands and what is next', () => {
    const text = paneText({ kind: 'ready', insight: positiveReplyInsight() });

    expect(text).toContain('Positive');
    expect(text).toContain('78% confidence (moderate)');
    expect(text).toContain('About 78 in 100 replies scored like this one really are positive');
    expect(text).toContain('Happy to talk next week, Tuesday afternoon works for me.');
    expect(text).toContain('Asks for a meeting');
    expect(text).toContain('Decision trace (3 steps)');
    expect(text).toContain('Ana Silva , Head of Operations at Contoso');
    expect(text).toContain('Step 2 of 4, paused');
    expect(text).toContain('“Create deal?” is waiting for a Manager’s approval.');
    expect(text).toContain('Propose times for a call');
    expect(text).toContain('Find a time');
  });

  it('marks the excerpt that decided the label', () => {
    const html = renderToStaticMarkup(
      <FluentProvider theme={webLightTheme}>
        <InsightBody
          view={{ kind: 'ready', insight: positiveReplyInsight() }}
          message={selectedMessage()}
          roles={['Operator']}
          api={unusedApi}
          reload={() => undefined}
        />
      </FluentProvider>,
    );
    expect(html).toMatch(/<mark[^>]*>Happy to talk next week, Tuesday afternoon works for me.<\/mark>/);
  });

  it('shows the Manager the approval button a rep does not get', () => {
    const insight = positiveReplyInsight();
    expect(paneText({ kind: 'ready', insight }, ['Operator'])).not.toContain('Approve “Create deal?”');
    expect(paneText({ kind: 'ready', insight }, ['Manager'])).toContain('Approve “Create deal?”');
  });

  it('shows the return date and referral of an out-of-office reply, and the kind of a bounce', () => {
    const ooo = positiveReplyInsight({
      classification: { label: 'ooo', confidence: 0.97 },
      ooo: { returnDate: '2025-06-16', referral: { name: 'Bo Chen', email: 'bo@contoso.example' } },
    });
    expect(paneText({ kind: 'ready', insight: ooo })).toMatch(/Out of office until Mon.*16.*Refers you to Bo Chen <bo@contoso.example>/);

    const bounce = positiveReplyInsight({ classification: { label: 'bounce', confidence: 0.99 }, bounce: { kind: 'hard', status: '5.1.1' } });
    const bounceText = paneText({ kind: 'ready', insight: bounce });
    expect(bounceText).toContain('Hard bounce');
    expect(bounceText).toContain('status 5.1.1');
    expect(bounceText).not.toContain('Find a time');
  });

  it('shows the deal with its stage, amount and a link to the CRM record', () => {
    const insight = positiveReplyInsight({
      pendingDealApprovalId: undefined,
      deal: {
        id: 'd-1',
        tenantId: 't',
        name: 'Contoso',
        stage: 'MEETING_BOOKED',
        amount: 12000,
        prospectId: 'p-ana',
        contactEmail: 'ana@contoso.example',
        companyDomain: 'contoso.example',
        sourceMessageId: '<reply-ana@contoso.example>',
        confidence: 0.9,
        createdAt: '2025-06-01T00:00:00Z',
        updatedAt: '2025-06-01T00:00:00Z',
        crm: { system: 'hubspot', id: '42', url: 'https://app.hubspot.com/contacts/1/deal/42' },
      },
    });
    const html = renderToStaticMarkup(
      <FluentProvider theme={webLightTheme}>
        <InsightBody view={{ kind: 'ready', insight }} message={selectedMessage()} roles={['Operator']} api={unusedApi} reload={() => undefined} />
      </FluentProvider>,
    );
    expect(html).toContain('href="https://app.hubspot.com/contacts/1/deal/42"');
    expect(paneText({ kind: 'ready', insight })).toMatch(/Stage Meeting booked Amount 12,000 CRM Open in HubSpot/);
  });

  it('says an email is not part of any campaign, and offers to add its sender', () => {
    const text = paneText({ kind: 'notInCampaign' });
    expect(text).toContain('Not part of any campaign');
    expect(text).toContain('Add sender as prospect');
  });

  it('says the rep has no access, with a retry only when signing in again can help', () => {
    expect(paneText({ kind: 'noAccess', problem: new ApiProblem(403, 'Forbidden') })).toMatch(/No access.*Ask an ASEP admin/);
    expect(paneText({ kind: 'noAccess', problem: new ApiProblem(403, 'Forbidden') })).not.toContain('Retry');
    expect(paneText({ kind: 'noAccess', problem: new ApiProblem(401, 'Unauthorized', 'Token expired') })).toMatch(/No access.*Token expired.*Retry/);
  });

  it('names a service error and offers a retry', () => {
    const text = paneText({ kind: 'failed', problem: new ApiProblem(503, 'Service Unavailable', 'The store is restarting') });
    expect(text).toMatch(/ASEP could not load this email: Service Unavailable.*The store is restarting.*Retry/);
  });

  it('asks for a selection when a pinned pane has none', () => {
    expect(paneText({ kind: 'noSelection' })).toContain('Select an email');
  });
});
