import { describe, expect, it } from 'vitest';
import { expectValidCard, visibleText } from '../cards/card-conformance';
import type { CampaignStatus } from './backend';
import { buildStatusCard } from './status-card';

const campaign = (overrides: Partial<CampaignStatus>): CampaignStatus => ({
  id: 'cmp_1',
  name: 'Q3 fintech outreach',
  status: 'running',
  sentToday: 12,
  pendingApprovals: 3,
  halted: false,
  ...overrides,
});

describe('buildStatusCard', () => {
  it('lists running campaigns first with what they sent today and what awaits approval', () => {
    const card = buildStatusCard(
      {
        day: '2025-03-14',
        allSendingStopped: false,
        campaigns: [campaign({ id: 'cmp_2', name: 'Spring webinar', status: 'stopped', sentToday: 0, pendingApprovals: 0 }), campaign({})],
      },
      'https://console.asep.example/',
    );
    expectValidCard(card);
    expect(visibleText(card)).toBe(
      [
        'Status: 2025-03-14 (UTC)',
        '1 of 2 campaigns are running.',
        'Q3 fintech outreach: running',
        'Sent today: 12',
        'Awaiting approval: 3',
        'Spring webinar: stopped',
        'Sent today: 0',
        'Awaiting approval: 0',
      ].join('\n'),
    );
  });

  it('says when all sending or one campaign is stopped by a kill switch', () => {
    const card = buildStatusCard(
      { day: '2025-03-14', allSendingStopped: true, campaigns: [campaign({ halted: true })] },
      'https://console.asep.example/',
    );
    expectValidCard(card);
    expect(visibleText(card)).toContain('**All sending is stopped** by the tenant kill switch.');
    expect(visibleText(card)).toContain('Q3 fintech outreach: running, stopped by its kill switch');
  });

  it('shows at most eight campaigns and points to the console for the rest', () => {
    const many = Array.from({ length: 11 }, (_, index) => campaign({ id: `cmp_${index}`, name: `Campaign ${String(index).padStart(2, '0')}` }));
    const card = buildStatusCard({ day: '2025-03-14', allSendingStopped: false, campaigns: many }, 'https://console.asep.example/');
    expectValidCard(card);
    expect(visibleText(card)).toContain('Campaign 07: running');
    expect(visibleText(card)).not.toContain('Campaign 08');
    expect(visibleText(card)).toContain('3 more campaigns are in the console.');
  });
});
