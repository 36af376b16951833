import * as df from 'durable-functions';
import { sha256 } from '@asep/shared/audit/chain';
import { researchSlot } from '@asep/shared/drafting/draft';
import { headerSafe } from '@asep/shared/mail/header-safe';
import type { EvidenceFact } from '@asep/shared/policy/action';
import { isHeldByKillSwitch, type PolicyDecision } from '@asep/shared/policy/decision';
import { evaluatePolicy } from '@asep/shared/policy/evaluate';
import { displayName, type Prospect } from '@asep/shared/prospects/prospect';
import { withSignature } from '@asep/shared/reps/rep';
import { holidayCountry } from '@asep/shared/scheduling/holidays';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import { renderTemplate } from '@asep/shared/sequence/render';
import type { CampaignRecord } from '../campaigns/records';
import { getServices, type Services } from '../composition/services';
import { createEmailDrafter } from '../drafting/draft-email';
import type { SequenceInput } from '../orchestrations/contracts/sequence';
import { sequenceCompleted } from '../orchestrations/contracts/sequence';
import {
  sequenceActivities,
  type EmailToSend,
  type Following,
  type PrepareStepInput,
  type PreparedStep,
} from '../orchestrations/contracts/sequence-steps';
import { readProspectAndTouch } from '../mail/touches';
import { touchIdFor } from '../orchestrations/instance-ids';
import { repFor } from '../reps/reps';
import { readSendState, withStoredCounters } from './send-context';
import { send, sendAction } from './send-step';

/** What a step after an email step means for the orchestration once the email is sent. */
function followingOf(campaign: CampaignRecord, stepIndex: number, prospect: Prospect): Following {
  const next = campaign.sequence.steps[stepIndex + 1];
  if (!next) return { kind: 'end' };
  if (next.type !== 'wait') return { kind: 'next' };
  const country = holidayCountry(prospect);
  return { kind: 'wait', days: next.days, timeZone: prospect.timeZone ?? 'UTC', ...(country ? { country } : {}) };
}

/** What the import told us about the prospect, as evidence an approver can weigh. */
function prospectFacts(prospect: Prospect): EvidenceFact[] {
  return [
    ...(prospect.title ? [{ fact: `${displayName(prospect)} is ${prospect.title}`, source: 'prospect import' }] : []),
    ...(prospect.company ? [{ fact: `Works at ${prospect.company} (${prospect.domain})`, source: 'prospect import' }] : []),
  ];
}

/** The campaign and the prospect a sequence runs for, either missing once deleted. */
export async function loadCampaignAndProspect(services: Services, input: SequenceInput) {
  const [campaign, prospect] = await Promise.all([
    services.store.forTenant(input.tenantId).campaigns.read(input.campaignId),
    services.store.forTenant(input.tenantId).prospects.read(input.prospectId),
  ]);
  return { campaign, prospect };
}

/** Reads the step, renders it for the prospect and asks the policy engine; audits the decision. */
df.app.activity(sequenceActivities.prepareStep, {
  handler: async (input: PrepareStepInput): Promise<PreparedStep> => {
    const services = await getServices();
    // The step's touch is read with the prospect (one request): a send retried after it was recorded finds it.
    const [campaign, { prospect, touch }] = await Promise.all([
      services.store.forTenant(input.tenantId).campaigns.read(input.campaignId),
      readProspectAndTouch(services.store, input.tenantId, input.prospectId, touchIdFor(input.instanceId, input.iteration)),
    ]);
    if (!campaign || !prospect) return { kind: 'end', reason: 'campaign or prospect no longer exists' };
    if (campaign.status !== 'running') return { kind: 'end', reason: `campaign is ${campaign.status}` };
    const step = campaign.sequence.steps[input.stepIndex];
    if (!step) return { kind: 'end', reason: sequenceCompleted };
    if (['replied', 'unsubscribed', 'bounced', 'suppressed'].includes(prospect.status)) return { kind: 'end', reason: `prospect ${prospect.status}` };

    if (step.type === 'wait') {
      const until = addBusinessDays(services.clock.now(), step.days, prospect.timeZone ?? 'UTC', holidayCountry(prospect));
      return { kind: 'wait', until: until.toISOString() };
    }
    if (step.type === 'branch') {
      const condition = step.if === 'replied' ? prospect.status === 'replied' : step.if === 'no_reply' ? prospect.status !== 'replied' : false;
      return { kind: 'goto', stepIndex: condition ? step.then : step.else };
    }

    const { doNotContact, ...fields } = prospect;
    const researched = campaign.drafting?.mode === 'researched';
    const variables = {
      ...fields,
      company: prospect.company,
      firstName: prospect.firstName ?? displayName(prospect).split(' ')[0],
      // The slot stays for the drafter to fill.
      ...(researched ? { research: researchSlot } : {}),
    };
    const subject = renderTemplate(step.subject, variables);
    const body = renderTemplate(step.body, variables);
    const missing = [...new Set([...subject.missing, ...body.missing])];
    const sender = await repFor(services, input.tenantId, input.mailbox ?? campaign.mailbox);
    const target = { mailbox: sender.mailbox, to: prospect.email, campaign };
    const state = await readSendState(services, input.tenantId, target, { counters: 'claim' });
    let { context, counters } = state;
    let written = { subject: subject.text, body: body.text, draft: undefined as EmailToSend['draft'] };
    if (researched) {
      const draft = await createEmailDrafter(services.models).draft(input.tenantId, {
        prospect: { firstName: variables.firstName, lastName: prospect.lastName, title: prospect.title, company: prospect.company },
        campaign: { name: campaign.name, offer: campaign.offer, persona: campaign.persona, constraints: campaign.constraints },
        template: { subject: subject.text, body: body.text },
        facts: input.facts ?? [],
        attempt: input.draftAttempt ?? 0,
        redactProspect: context.policy.rules.evidence.redactProspectInPrompts,
        correlationId: input.correlationId,
      });
      // The tenant's own words (template, offer, the rep's signature): their figures are the tenant's to vouch for.
      const authoredText = [step.subject, step.body, campaign.offer ?? '', withSignature('', sender)].join('\n');
      written = { subject: draft.subject, body: draft.body, draft: { sentences: draft.sentences, author: draft.author, authoredText } };
    }
    const email: EmailToSend = {
      mailbox: sender.mailbox,
      to: prospect.email,
      // A subject is a header: nothing rendered into it (a prospect's field, a model's words) may break its line.
      subject: headerSafe(input.previousTouch && !/^re:/i.test(written.subject) ? `Re: ${written.subject}` : written.subject),
      body: withSignature(written.body, sender),
      isFirstTouch: !input.previousTouch,
      stepApproval: step.approval,
      recipient: { timeZone: prospect.timeZone, region: prospect.region, vertical: prospect.vertical, doNotContact },
      evidence: researched ? [...(input.facts ?? []), ...(campaign.facts ?? [])] : [...prospectFacts(prospect), ...(campaign.facts ?? [])],
      ...(written.draft ? { draft: written.draft } : {}),
      ...(campaign.drafting?.draftOnly || context.policy.rules.approvals.draftOnly ? { draftOnly: true } : {}),
    };
    const approvedOnce = step.approval === 'once' && (campaign.approvedSteps ?? []).includes(input.stepIndex) && !email.isFirstTouch;
    const action = sendAction(input.campaignId, email, approvedOnce || input.retryOf !== undefined);
    let evaluated = evaluatePolicy(action, context);
    const sendsAtOnce = (decision: PolicyDecision) =>
      input.mayBeSentNow && decision.allow && !decision.approvalRequired && !decision.throttle && !isHeldByKillSwitch(decision);
    if (state.presumed && !sendsAtOnce(evaluated)) {
      // Presumed counts serve a send claimed at once (the claim finds out otherwise); waiting or asking for approval
      // rests on the store's.
      ({ context, counters } = await withStoredCounters(services, input.tenantId, target, context));
      evaluated = evaluatePolicy(action, context);
    }
    const decision: PolicyDecision =
      missing.length > 0
        ? {
            ...evaluated,
            allow: false,
            approvalRequired: false,
            throttle: undefined,
            reasons: [
              ...evaluated.reasons,
              { rule: 'template.variables', outcome: 'block', message: `No value for ${missing.join(', ')} for this prospect.` },
            ],
          }
        : evaluated;
    const decided = {
      allow: decision.allow,
      approvalRequired: decision.approvalRequired,
      throttle: decision.throttle ?? null,
      requireCanary: decision.requireCanary,
      rules: decision.reasons.map((reason) => `${reason.rule}:${reason.outcome}`),
      policyVersion: decision.policyVersion,
      ...(email.draft
        ? { draft: { author: email.draft.author, cited: [...new Set(email.draft.sentences.flatMap((sentence) => sentence.factIds))] } }
        : {}),
      inputsHash: sha256(JSON.stringify({ action, context: { ...context, policy: undefined, policyVersion: context.policy.version } })),
    };
    const following = followingOf(campaign, input.stepIndex, prospect);
    // One activity per decision: an email nobody needs to approve is sent at once, on what was just read, and
    // its one audit event (sent, held, deferred or blocked) carries the decision.
    if (sendsAtOnce(decision)) {
      const sent = await send(
        services,
        { ...input, email },
        { context, ...(counters ? { counters } : {}), prospect, ...(touch ? { touch } : {}), decision: decided },
      );
      return { kind: 'email', email, decision, following, sent };
    }
    await services.audit.append(input.tenantId, {
      actor: { type: 'system', id: 'policy-engine' },
      type: 'policy.decided',
      correlationId: input.correlationId,
      idempotencyKey: `${input.instanceId}:${input.iteration}:policy`,
      payload: { campaignId: input.campaignId, prospectId: input.prospectId, step: input.stepIndex, ...decided },
    });
    return { kind: 'email', email, decision, following };
  },
});
