import type { ReplyClassification } from '@asep/shared/classification/schema';
import { addBusinessDays } from '@asep/shared/sequence/business-days';
import type * as df from 'durable-functions';
import { pauseProspectSequences, retryBouncedStep, stopProspectSequences } from '../campaigns/campaigns';
import type { Services } from '../composition/services';
import { recentSoftBounces, softBounceLimit, softBounceRetryBusinessDays } from '../deliverability/bounces';
import { resumeAfterAbsence } from '../deliverability/out-of-office';
import type { MessageRecord, Touch } from '../mail/message';
import { currentPolicy } from '../policies/policies';
import type { ProspectRecord } from '../prospects/records';
import { suppress } from '../prospects/suppression';

/**
 * What a reply means for the prospect. An unsubscribe suppresses the address (consent withdrawn by reply) and
 * stops every sequence emailing them; a hard bounce, or a third soft bounce within two weeks, suppresses it too;
 * a soft bounce sends the bounced step again a business day later. Out of office pauses their sequences until
 * the business day after they are back, unless they left the company: then the address is suppressed. Any other
 * reply ends the sequence that was answered. `prospect` is as read: it is marked replied from there, read
 * again only when someone changed it meanwhile. Answers the prospect as the reply left it.
 */
export async function applyReply(
  services: Services,
  durable: df.DurableClient,
  message: MessageRecord,
  classification: ReplyClassification,
  prospect: ProspectRecord,
  touch: Touch | undefined,
  correlationId: string,
): Promise<ProspectRecord> {
  const { tenantId } = message;
  const source = `reply:${message.id}`;
  switch (classification.label) {
    case 'unsubscribe': {
      const unsubscribed = await suppress(services, tenantId, prospect.email, 'unsubscribe', source, correlationId, {
        consent: { method: 'reply', at: message.at, sourceMessageId: message.internetMessageId },
        prospect,
      });
      await stopProspectSequences(services, durable, tenantId, prospect.id, 'prospect unsubscribed');
      return unsubscribed ?? prospect;
    }
    case 'bounce': {
      const soft = classification.bounce?.kind === 'soft';
      if (soft && (await recentSoftBounces(services, tenantId, prospect.id, message.id)) < softBounceLimit.bounces) {
        const retryAt = addBusinessDays(services.clock.now(), softBounceRetryBusinessDays, prospect.timeZone ?? 'UTC');
        if (touch) await retryBouncedStep(durable, touch, retryAt.toISOString(), correlationId);
        return prospect;
      }
      const bounced = await suppress(services, tenantId, prospect.email, 'bounce', source, correlationId, { prospect });
      await stopProspectSequences(services, durable, tenantId, prospect.id, soft ? 'repeated soft bounces' : 'hard bounce');
      return bounced ?? prospect;
    }
    case 'ooo': {
      if (classification.ooo?.leftCompany) {
        const left = await suppress(services, tenantId, prospect.email, 'left_company', source, correlationId, { prospect });
        await stopProspectSequences(services, durable, tenantId, prospect.id, 'prospect left the company');
        return left ?? prospect;
      }
      const { rules } = await currentPolicy(services, tenantId);
      const until = resumeAfterAbsence(
        classification.ooo?.returnDate,
        prospect.timeZone ?? 'UTC',
        services.clock.now(),
        rules.ooo.defaultPauseBusinessDays,
      );
      await pauseProspectSequences(services, durable, tenantId, prospect.id, until.toISOString());
      return prospect;
    }
    default: {
      const replied = await services.store.prospects.updateFrom(prospect, (current) =>
        ['replied', 'unsubscribed', 'bounced', 'suppressed'].includes(current.status)
          ? undefined
          : { ...current, status: 'replied', updatedAt: services.clock.now().toISOString() },
      );
      if (touch?.instanceId)
        await stopProspectSequences(services, durable, tenantId, prospect.id, `prospect replied (${classification.label})`, [touch.instanceId]);
      return replied ?? prospect;
    }
  }
}
