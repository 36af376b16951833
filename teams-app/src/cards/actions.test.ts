import { isAllowed } from '@asep/shared/access/matrix';
import { killSwitchChangeSchema } from '@asep/shared/killswitch/killswitch';
import { describe, expect, it } from 'vitest';
import { type CardAction, killSwitchChangeOf, parseCardAction, permissionFor } from './actions';

function parsed(value: unknown): CardAction {
  const result = parseCardAction(value);
  if (!result.ok) throw new Error(result.error);
  return result.action;
}

function rejection(value: unknown): string {
  const result = parseCardAction(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.error;
}

describe('parseCardAction', () => {
  it('reads a decision with the inputs Teams merged in, dropping keys it does not know', () => {
    expect(parsed({ action: 'approval.reject', approvalId: 'apr_1', reason: '  Too pushy  ', stage: 'QUALIFIED' })).toEqual({
      action: 'approval.reject',
      approvalId: 'apr_1',
      reason: 'Too pushy',
    });
  });

  it('reads the amount Teams sends as text, and an empty amount as none', () => {
    expect(parsed({ action: 'deal.create', approvalId: 'apr_1', stage: 'MEETING_BOOKED', amount: '12500.5' })).toMatchObject({ amount: 12500.5 });
    expect(parsed({ action: 'deal.create', approvalId: 'apr_1', stage: 'QUALIFIED', amount: '' })).toEqual({
      action: 'deal.create',
      approvalId: 'apr_1',
      stage: 'QUALIFIED',
    });
    expect(parsed({ action: 'deal.create', approvalId: 'apr_1', stage: 'QUALIFIED', amount: 300 })).toMatchObject({ amount: 300 });
  });

  it.each([
    [{}, 'card action data has no "action"'],
    [{ action: 'approval.approve' }, 'approval.approve: approvalId is required'],
    [{ action: 'approval.approve', approvalId: '   ' }, 'approval.approve: approvalId is required'],
    [{ action: 'approval.approve', approvalId: 42 }, 'approval.approve: approvalId must be text'],
    [{ action: 'approval.reject', approvalId: 'apr_1' }, 'approval.reject: reason is required'],
    [{ action: 'approval.reject', approvalId: 'apr_1', reason: ' ' }, 'approval.reject: reason is required'],
    [{ action: 'deal.create', approvalId: 'apr_1', stage: 'DISQUALIFIED' }, 'stage must be one of POSITIVE_REPLY, MEETING_BOOKED, QUALIFIED'],
    [{ action: 'deal.create', approvalId: 'apr_1', stage: 'QUALIFIED', amount: 'lots' }, 'amount must be a number'],
    [{ action: 'deal.create', approvalId: 'apr_1', stage: 'QUALIFIED', amount: '-5' }, 'amount cannot be negative'],
    [{ action: 'killswitch.confirm', scope: 'campaign', active: true, reason: 'spam complaints' }, 'campaignId is required when scope is campaign'],
    [{ action: 'killswitch.request', scope: 'tenant', active: 'yes', reason: 'x' }, 'active must be true or false'],
    [{ action: 'approval.delete', approvalId: 'apr_1' }, 'unknown card action "approval.delete"'],
    ['approve', 'card action data must be an object, not a string'],
    [7, 'card action data must be an object, not a number'],
    [null, 'card action data must be an object, not null'],
    [[{ action: 'refresh' }], 'card action data must be an object, not an array'],
  ])('rejects %j saying what is wrong', (value, message) => {
    expect(rejection(value)).toContain(message);
  });

  it('lists the actions it knows when the action is unknown', () => {
    expect(rejection({ action: 'nope' })).toContain('expected one of approval.approve, approval.reject, deal.create');
  });
});

describe('permissionFor', () => {
  it('lets a Manager decide approvals and deals, and stop a campaign, but not stop all sending', () => {
    const manager = ['Manager'] as const;
    expect(isAllowed(manager, permissionFor(parsed({ action: 'approval.approve', approvalId: 'a' })))).toBe(true);
    expect(isAllowed(manager, permissionFor(parsed({ action: 'deal.skip', approvalId: 'a' })))).toBe(true);
    expect(
      isAllowed(manager, permissionFor(parsed({ action: 'killswitch.confirm', scope: 'campaign', campaignId: 'c', active: true, reason: 'r' }))),
    ).toBe(true);
    expect(isAllowed(manager, permissionFor(parsed({ action: 'killswitch.confirm', scope: 'tenant', active: true, reason: 'r' })))).toBe(false);
    expect(isAllowed(['Admin'], permissionFor(parsed({ action: 'killswitch.confirm', scope: 'tenant', active: true, reason: 'r' })))).toBe(true);
  });

  it('keeps Operators from deciding or promoting, and lets Auditors look at the kill switches only', () => {
    expect(isAllowed(['Operator'], permissionFor(parsed({ action: 'approval.reject', approvalId: 'a', reason: 'r' })))).toBe(false);
    expect(isAllowed(['Operator'], permissionFor(parsed({ action: 'canary.promote', campaignId: 'c' })))).toBe(false);
    expect(isAllowed(['Auditor'], permissionFor(parsed({ action: 'killswitch.refresh' })))).toBe(true);
    expect(isAllowed(['Auditor'], permissionFor(parsed({ action: 'refresh', approvalId: 'a' })))).toBe(false);
  });
});

describe('killSwitchChangeOf', () => {
  it('hands the bot exactly the change the kill-switch API accepts', () => {
    const action = parsed({
      action: 'killswitch.confirm',
      scope: 'campaign',
      campaignId: 'cmp_1',
      active: false,
      reason: 'Bounces are back to normal',
    });
    if (action.action !== 'killswitch.confirm') throw new Error('wrong action');
    const change = killSwitchChangeOf(action);
    expect(killSwitchChangeSchema.parse(change)).toEqual({
      scope: 'campaign',
      campaignId: 'cmp_1',
      active: false,
      reason: 'Bounces are back to normal',
    });
  });
});
