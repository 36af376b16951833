import type { ReplyClassification } from '@asep/shared/classification/schema';
import { displayName } from '@asep/shared/prospects/prospect';
import type { MessageRecord } from '../mail/message';
import type { ProspectRecord } from '../prospects/records';

/** What every approval about a reply names: who wrote it, in answer to what, and the classifier's evidence. */
export function aboutReply(tenantId: string, message: MessageRecord, prospect: ProspectRecord, classification: ReplyClassification) {
  return {
    tenantId,
    campaignId: message.campaignId,
    prospectId: prospect.id,
    prospectName: displayName(prospect),
    company: prospect.company,
    to: prospect.email,
    subject: message.subject,
    evidence: {
      facts: classification.evidence.facts.map((fact) => ({ fact, source: 'classifier' as const })),
      excerpt: classification.evidence.excerpt,
      confidence: classification.confidence,
    },
  };
}
