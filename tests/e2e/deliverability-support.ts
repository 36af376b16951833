import { call, eventually, newTenantId, sleep } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

/** What the deliverability tests do through HTTP, against one running suite. */
export function deliverabilityDriver(baseUrl: string) {
  const get = async <T = any>(loop: LoopFixture, path: string, token = loop.manager.token) => (await call<T>(baseUrl, 'GET', path, { token })).body;

  /** Moves the suite's durable clock forward and answers its new time. */
  async function advanceClock(hours: number): Promise<Date> {
    const { body } = await call<{ now: string }>(baseUrl, 'POST', 'dev/clock/advance', { json: { hours } });
    return new Date(body.now);
  }

  return {
    advanceClock,

    /** Moves the clock a day at a time (firing due durable timers) until `probe` holds; answers it and the time it first held. */
    async daysPassUntil<T>(probe: () => Promise<T | undefined>, maxDays = 10): Promise<{ value: T; at: Date } | undefined> {
      for (let day = 0; day < maxDays; day += 1) {
        const at = await advanceClock(24);
        await sleep(300);
        const value = await probe();
        if (value !== undefined) return { value, at };
      }
      return undefined;
    },

    /** A fresh tenant whose campaign has sent its approved first touch to `email` (the CSV's first prospect unless named). */
    async firstTouch(csv: string, email?: string) {
      const loop = await prepareCampaign(baseUrl, newTenantId(), csv);
      await call(baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
      const approvals = await pendingApprovals(loop, 1);
      const approval = email ? approvals.find((candidate) => candidate.to === email)! : approvals[0];
      await call(baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
      const [touch] = await eventually(async () => {
        const sent = await outbox(loop, approval.to);
        return sent.length > 0 ? sent : undefined;
      }, 'the first touch');
      return { loop, touch };
    },

    /** Delivers a message to the campaign mailbox and answers the taskpane insight once triage has finished. */
    async reply(
      loop: LoopFixture,
      from: string,
      inReplyTo: string,
      body: string,
      options: { subject?: string; headers?: Record<string, string> } = {},
    ) {
      const { body: delivered } = await call(baseUrl, 'POST', 'dev/mailbox/inbound', {
        json: {
          tenantId: loop.tenantId,
          from,
          to: loop.mailbox,
          subject: options.subject ?? 'Re: Idea',
          body,
          inReplyTo,
          headers: options.headers ?? {},
        },
      });
      return eventually(async () => {
        const insight = await call(baseUrl, 'GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(delivered.internetMessageId)}`, {
          token: loop.operator.token,
        });
        return insight.status === 200 && insight.body.nextAction.kind !== 'review'
          ? { ...insight.body, internetMessageId: delivered.internetMessageId }
          : undefined;
      }, 'the reply to be triaged');
    },

    async insight(loop: LoopFixture, internetMessageId: string) {
      return get(loop, `v1/insights/by-message?internetMessageId=${encodeURIComponent(internetMessageId)}`, loop.operator.token);
    },

    async auditEvents(loop: LoopFixture): Promise<any[]> {
      return get(loop, 'v1/audit?limit=1000', loop.auditor.token);
    },

    async prospectsWithStatus(loop: LoopFixture, status: string): Promise<string[]> {
      return (await get<any[]>(loop, `v1/prospects?status=${status}`, loop.operator.token)).map((prospect) => prospect.email);
    },

    async pending(loop: LoopFixture, kind?: string): Promise<any[]> {
      const approvals = await get<any[]>(loop, 'v1/approvals?status=pending');
      return kind ? approvals.filter((approval) => approval.kind === kind) : approvals;
    },

    /** Starts a second, one-email campaign to the same prospects from the same mailbox; answers its id. */
    async startOneEmailCampaign(loop: LoopFixture, name: string, subject: string): Promise<string> {
      const { body: campaign } = await call(baseUrl, 'POST', 'v1/campaigns', {
        token: loop.revops.token,
        json: {
          name,
          mailbox: loop.mailbox,
          sequence: { steps: [{ type: 'email', subject, body: `Hi {{firstName}}, ${subject.toLowerCase()}.`, approval: 'every' }] },
        },
      });
      await call(baseUrl, 'POST', `v1/campaigns/${campaign.id}/prospects`, { token: loop.revops.token, json: { prospectIds: loop.prospectIds } });
      await call(baseUrl, 'POST', `v1/campaigns/${campaign.id}/start`, { token: loop.manager.token, json: {} });
      return campaign.id;
    },

    /** Whether the policy engine would still let an email to `to` leave. */
    async mayEmail(loop: LoopFixture, to: string): Promise<boolean> {
      const { body } = await call(baseUrl, 'POST', 'v1/policies/test', {
        token: loop.revops.token,
        json: { action: { type: 'send_email', mailbox: loop.mailbox, to, subject: 'Hello', body: 'A note.', isFirstTouch: false, approved: true } },
      });
      return body.allow;
    },
  };
}

/** A delivery status report from the recipient's server, of the kind Postfix sends. */
export function deliveryReport(recipient: string, kind: 'hard' | 'soft'): { body: string; headers: Record<string, string> } {
  const host = `mx.${recipient.split('@')[1]}`;
  const [reply, status, reason, action] =
    kind === 'hard'
      ? ['550', '5.1.1', 'Recipient address rejected: User unknown', 'failed']
      : ['452', '4.2.2', 'Mailbox full, try again later', 'delayed'];
  return {
    body: [
      `This is the mail system at host ${host}.`,
      "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
      `<${recipient}>: host ${host} said: ${reply} ${status} <${recipient}>: ${reason}`,
      `Final-Recipient: rfc822; ${recipient}`,
      `Action: ${action}`,
      `Status: ${status}`,
    ].join('\n'),
    headers: { 'Content-Type': 'multipart/report; report-type=delivery-status' },
  };
}
