import { type Approval, approvalSchema } from '@asep/shared/approvals/approval';

/** Test support: a realistic pending first-touch approval, checked against the domain schema. */
export function anApproval(overrides: Partial<Approval> = {}): Approval {
  return approvalSchema.parse({
    id: 'apr_01J9Z8',
    tenantId: 'tenant-contoso',
    kind: 'first_touch',
    status: 'pending',
    campaignId: 'cmp_q3_fintech',
    campaignName: 'Q3 fintech outreach',
    prospectId: 'prs_4821',
    prospectName: 'Dana Whitfield',
    company: 'Fabrikam Payments',
    to: 'dana.whitfield@fabrikam.example',
    subject: 'Cutting month-end close from 9 days to 3',
    body: 'Hi Dana,\n\nFabrikam grew card volume 40% last year; teams at that stage usually feel it at month-end.\n\nWorth 20 minutes next week?\n\nAlex',
    evidence: {
      facts: [
        { fact: 'Card volume grew 40% in 2024', source: 'fabrikam.example/annual-report' },
        { fact: 'Hiring three finance operations analysts', source: 'LinkedIn jobs, 2025-02-10' },
      ],
    },
    decision: {
      allow: true,
      approvalRequired: true,
      reasons: [
        { rule: 'approvals.firstTouch', outcome: 'approval', message: 'First emails to a new prospect need a Manager.' },
        { rule: 'caps.daily', outcome: 'pass', message: 'Within the daily cap.' },
      ],
      policyVersion: 3,
    },
    instanceId: 'seq-cmp_q3_fintech-prs_4821',
    eventName: 'approval',
    createdAt: '2025-03-14T09:30:00.000Z',
    expiresAt: '2025-03-15T09:30:00.000Z',
    ...overrides,
  });
}

export const consoleUrl = 'https://console.asep.example/approvals/apr_01J9Z8';
