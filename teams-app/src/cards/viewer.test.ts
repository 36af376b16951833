import { describe, expect, it } from 'vitest';
import { isAllowed } from '@asep/shared/access/matrix';
import { roles, type Role } from '@asep/shared/access/roles';
import { permissionFor } from './actions';
import { anApproval, consoleUrl } from './approval-fixture';
import { buildApprovalCard } from './approval-card';
import { buildCanaryCard } from './canary-card';
import { executeButtons, expectValidCard, inputIds, visibleText } from './card-conformance';
import type { AdaptiveCard } from './elements';
import { buildKillSwitchCard } from './kill-switch-card';

const campaigns = [{ id: 'cmp_fintech', name: 'Q3 fintech outreach', status: 'running' }];
const canary = {
  campaignId: 'cmp_fintech',
  campaignName: 'Q3 fintech outreach',
  sent: 10,
  bounces: 0,
  unsubscribes: 0,
  negativeReplies: 0,
  thresholds: { bounceRate: 0.05, unsubscribeRate: 0.02, negativeRate: 0.1 },
  status: 'running' as const,
};

/** The titles of the buttons a person can press on the card (its automatic refresh left out). */
function pressable(card: AdaptiveCard): string[] {
  return executeButtons(card)
    .filter((button) => button !== card.refresh?.action)
    .map((button) => button.title);
}

describe('cards show each viewer only the actions their roles allow', () => {
  it('never offers a button whose press the bot would refuse, for any single role on any card', () => {
    for (const role of roles) {
      const viewer = { viewerRoles: [role] as Role[] };
      const cards = [
        buildApprovalCard(anApproval(), { consoleUrl, ...viewer }),
        buildApprovalCard(anApproval({ kind: 'deal_create', evidence: { facts: [], confidence: 0.7 } }), { consoleUrl, ...viewer }),
        buildKillSwitchCard({ campaigns: {} }, { campaigns, ...viewer }),
        buildCanaryCard(canary, viewer),
      ];
      for (const card of cards) {
        expectValidCard(card);
        const presses = executeButtons(card).filter((button) => button !== card.refresh?.action);
        for (const button of presses) expect(isAllowed([role], permissionFor(button.data)), `${role}: ${button.title}`).toBe(true);
      }
    }
  });

  it('gives a Manager the campaign switches but not "Stop all sending", and says who can', () => {
    const card = buildKillSwitchCard({ campaigns: {} }, { campaigns, viewerRoles: ['Manager'] });
    expect(pressable(card)).toEqual(['Stop campaign']);
    expect(visibleText(card)).toContain("You can't turn the kill switch for all sending on or off here: that needs Owner, Admin.");
    expect(inputIds(card)).toEqual(['reason']);
  });

  it('gives an Admin every switch, and no note about missing ones', () => {
    const card = buildKillSwitchCard({ campaigns: {} }, { campaigns, viewerRoles: ['Admin'] });
    expect(pressable(card)).toEqual(['Stop all sending', 'Stop campaign']);
    expect(visibleText(card)).not.toContain("You can't");
  });

  it('shows an Auditor the switches to read, with no reason to type and no buttons', () => {
    const card = buildKillSwitchCard({ campaigns: {} }, { campaigns, viewerRoles: ['Auditor'] });
    expect(pressable(card)).toEqual([]);
    expect(inputIds(card)).toEqual([]);
    expect(visibleText(card)).toContain('All sending: sending (switch off)');
    expect(visibleText(card)).toContain("You can't turn a campaign's kill switch on or off here: that needs Owner, Admin, RevOps, Manager.");
  });

  it('shows an Operator an approval without Approve or Reject, keeps the console link and says who decides', () => {
    const card = buildApprovalCard(anApproval(), { consoleUrl, viewerRoles: ['Operator'] });
    expect(pressable(card)).toEqual([]);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in console', url: consoleUrl }]);
    expect(visibleText(card)).toContain("You can't approve or reject here: that needs Owner, Admin, RevOps, Manager.");
  });

  it('gives a Manager Approve and Reject, and a card posted to a channel (no single viewer) keeps every button', () => {
    for (const viewer of [{ viewerRoles: ['Manager'] as Role[] }, {}]) {
      const card = buildApprovalCard(anApproval(), { consoleUrl, ...viewer });
      expect(pressable(card)).toEqual(['Approve', 'Reject']);
      expect(visibleText(card)).not.toContain("You can't");
    }
  });

  it('leaves the stage and amount off a "Create deal?" card for someone who may not create it', () => {
    const prompt = anApproval({ kind: 'deal_create', evidence: { facts: [], confidence: 0.7 } });
    expect(inputIds(buildApprovalCard(prompt, { consoleUrl, viewerRoles: ['Manager'] }))).toEqual(['stage', 'amount']);
    const operatorCard = buildApprovalCard(prompt, { consoleUrl, viewerRoles: ['Operator'] });
    expect(inputIds(operatorCard)).toEqual([]);
    expect(pressable(operatorCard)).toEqual([]);
  });

  it('offers Promote and Halt on a canary only to those who may run campaigns', () => {
    expect(pressable(buildCanaryCard(canary, { viewerRoles: ['RevOps'] }))).toEqual(['Promote to full campaign', 'Halt campaign']);
    const auditorCard = buildCanaryCard(canary, { viewerRoles: ['Auditor'] });
    expect(pressable(auditorCard)).toEqual([]);
    expect(visibleText(auditorCard)).toContain("You can't start, stop, promote or halt campaigns here");
  });
});

describe('an approval held by the kill switch', () => {
  const approved = { status: 'approved' as const, decidedBy: { id: 'u1', name: 'Max Manager' }, decidedAt: '2025-03-14T10:00:00Z' };

  it('says "Approved — held by the kill switch" and keeps refreshing until the email is sent', () => {
    const card = buildApprovalCard(anApproval({ ...approved, delivery: { status: 'held', at: '2025-03-14T10:00:00Z' } }), { consoleUrl });
    expectValidCard(card);
    expect(visibleText(card)).toMatch(/^Approved — held by the kill switch\nBy: Max Manager/);
    expect(visibleText(card)).toContain('the email waits and is sent once the switch is turned off');
    expect(card.refresh?.action.data).toEqual({ action: 'refresh', approvalId: 'apr_01J9Z8' });
    expect(pressable(card)).toEqual([]);
  });

  it('says when it was finally sent, and stops refreshing', () => {
    const card = buildApprovalCard(anApproval({ ...approved, delivery: { status: 'sent', at: '2025-03-15T08:00:00Z' } }), { consoleUrl });
    expect(visibleText(card)).toMatch(/^Approved\n/);
    expect(visibleText(card)).toContain('Held by the kill switch, then sent {{DATE(2025-03-15T08:00:00Z, SHORT)}}');
    expect(card.refresh).toBeUndefined();
  });
});
