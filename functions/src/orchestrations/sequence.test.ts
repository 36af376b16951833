import { beforeAll, describe, expect, it } from 'vitest';
import { RecordedHistory, registerOrchestrations, replay, type DecidedAction } from '../../../tests/support/recorded-history';
import { approvalEventName } from './contracts/approval-events';
import { sequenceCompleted, sequenceEvents, sequenceOrchestration } from './contracts/sequence';
import { sequenceActivities } from './contracts/sequence-steps';

const input = { tenantId: 'tenant-a', campaignId: 'campaign-1', prospectId: 'prospect-1', stepIndex: 0, iteration: 0, correlationId: 'corr-1' };
const email = { to: 'ada@example.com', subject: 'Pipeline hygiene', body: 'Hello Ada' };
const allowed = (approvalRequired: boolean) => ({ allow: true, approvalRequired, reasons: [] });
const approval = { approvalId: 'approval-1', expiresAt: '2026-03-05T09:00:00.000Z' };
const calls = (actions: DecidedAction[], name: string) => actions.filter((action) => 'call' in action && action.call === name);

describe('the sequence, replayed from its history', () => {
  beforeAll(() => registerOrchestrations(() => import('./sequence')));

  it('puts a first touch that needs approval to the approver, waits for the answer, then sends it once', async () => {
    const history = new RecordedHistory(sequenceOrchestration.name, input);
    const prepare = history.scheduled(sequenceActivities.prepareStep, { ...input, instanceId: 'replayed-instance', mayBeSentNow: true });
    history.episode(1).completed(prepare, { kind: 'email', email, decision: allowed(true), following: { kind: 'end' } });
    expect((await replay(history)).actions.at(-1)).toMatchObject({ call: sequenceActivities.requestApproval });

    const request = history.scheduled(sequenceActivities.requestApproval);
    history.episode(1).completed(request, approval);
    const waiting = await replay(history);
    expect(waiting.isDone).toBe(false);
    expect(waiting.actions).toContainEqual({ waitFor: approvalEventName(approval.approvalId) });
    expect(calls(waiting.actions, sequenceActivities.sendEmail)).toEqual([]);

    history.timerCreated(approval.expiresAt);
    history.episode(30).raised(approvalEventName(approval.approvalId), { approved: true });
    const approved = await replay(history);
    expect(calls(approved.actions, sequenceActivities.sendEmail)).toEqual([
      expect.objectContaining({ input: expect.objectContaining({ email, approvalId: approval.approvalId }) }),
    ]);
  });

  it('ends after the last step is sent instead of running again', async () => {
    const history = new RecordedHistory(sequenceOrchestration.name, input);
    const prepare = history.scheduled(sequenceActivities.prepareStep);
    history.episode(1).completed(prepare, {
      kind: 'email',
      email,
      decision: allowed(false),
      following: { kind: 'end' },
      sent: { sent: true, internetMessageId: '<m1@x>' },
    });
    const decision = await replay(history);
    expect(decision).toMatchObject({ isDone: true, output: sequenceCompleted });
    expect(decision.actions.some((action) => 'continueAsNew' in action)).toBe(false);
  });

  it('sends a step that needs no approval exactly once and runs again for the next step', async () => {
    const history = new RecordedHistory(sequenceOrchestration.name, input);
    const prepare = history.scheduled(sequenceActivities.prepareStep);
    history.episode(1).completed(prepare, { kind: 'email', email, decision: allowed(false) });
    const first = await replay(history);
    expect(calls(first.actions, sequenceActivities.requestApproval)).toEqual([]);
    expect(calls(first.actions, sequenceActivities.sendEmail)).toHaveLength(1);

    const send = history.scheduled(sequenceActivities.sendEmail);
    history.episode(1).completed(send, { sent: true, internetMessageId: '<m1@x>' });
    const sent = await replay(history);
    expect(calls(sent.actions, sequenceActivities.sendEmail)).toHaveLength(1);
    expect(sent.actions.at(-1)).toMatchObject({ continueAsNew: { stepIndex: 1, iteration: 1, previousTouch: { internetMessageId: '<m1@x>' } } });
  });

  it('waits while a kill switch is on, sending nothing and asking nobody', async () => {
    const history = new RecordedHistory(sequenceOrchestration.name, input);
    const prepare = history.scheduled(sequenceActivities.prepareStep);
    const halted = { allow: false, approvalRequired: false, reasons: [{ rule: 'killSwitch', outcome: 'block', message: 'Sending is stopped.' }] };
    history.episode(1).completed(prepare, { kind: 'email', email, decision: halted });
    const decision = await replay(history);
    expect(decision.isDone).toBe(false);
    expect(decision.actions).toContainEqual({ waitFor: sequenceEvents.release.name });
    expect(calls(decision.actions, sequenceActivities.sendEmail)).toEqual([]);
    expect(calls(decision.actions, sequenceActivities.requestApproval)).toEqual([]);
  });
});
