import type { HeaderMap } from './headers';
import { excerptAround, type RuleMatch } from './rule-match';

export interface DeliveryReportInput {
  subject: string;
  from: string;
  headers: HeaderMap;
  /** The whole body as text: the report part comes first, the returned original after it. */
  fullText: string;
}

/** Where a report attaches the returned original; our own pitch below it must not be read as the failure reason. */
const returnedOriginalStart =
  /^(?:content-type:\s*(?:message\/rfc822|text\/rfc822-headers)|-{2,}\s*(?:this is a copy of (?:the|your) message|original message|below this line is a copy|original message follows|returned message)|original message headers|-+ ?mensaje original|-+ ?message d'origine|-+ ?ursprüngliche nachricht)/im;

/** The report itself: the text before the returned original message. */
export function reportPart(fullText: string): string {
  const head = fullText.slice(0, 50_000);
  const start = returnedOriginalStart.exec(head);
  return start && start.index > 0 ? head.slice(0, start.index) : head;
}

interface Signal {
  weight: number;
  fact: string;
  /** Where in fullText the signal was seen, for the excerpt. */
  at?: number;
}

/** Scores at or above this mean the message is a delivery status report. */
const reportThreshold = 3;

const reportContentType = /multipart\/report[^\n]*report-type="?delivery-status|message\/delivery-status/i;
const reportFields = /^(?:final-recipient|original-recipient|reporting-mta|diagnostic-code|remote-mta)\s*:/im;
const failedAction = /^action\s*:\s*(failed|delayed)/im;
const successOnlyAction = /^action\s*:\s*(?:delivered|relayed|expanded)/im;
const reportStatus = /^status\s*:\s*[45]\.\d{1,3}\.\d{1,3}/im;

const daemonSender =
  /(?:^|[<\s"])(?:mailer-daemon|mailer_daemon|mail-daemon|postmaster|mdaemon|mail delivery (?:subsystem|system|service)|mail administrator|microsoftexchange[0-9a-f]{32})\b/i;

const bounceSubject =
  /undeliver(?:able|ed)|returned mail|delivery status notification|delivery (?:failure|failed|has failed|notification|problem|report|incomplete)|mail delivery (?:failed|failure|problem)|failure notice|could not (?:be )?deliver|(?:message|mail) (?:not|wasn't|couldn't be|could not be) delivered|non[- ]?deliver|delivery delayed|delayed mail|warning: could not send|address not found|mail system error|returned to sender|unzustellbar|nicht zustellbar|zustellung (?:fehlgeschlagen|gescheitert|verzögert)|non remis|non distribuable|échec (?:de (?:la )?)?(?:remise|distribution|livraison)|remise différée|no se puede entregar|no entregado|no se pudo entregar|error de entrega|entrega (?:fallida|retrasada)|mensaje no entregado/i;

/** Boilerplate that mail servers put in delivery reports (Postfix, Exim, Sendmail, qmail, Exchange, Gmail, Yahoo, Domino, SES). */
const mtaBoilerplate = new RegExp(
  [
    'this is the mail system at host',
    "(?:i'm|i am|we're|we are) sorry to (?:have to )?inform you that (?:your|the) message",
    'could not be delivered to one or more (?:of its )?recipients',
    'message that you sent could not be delivered',
    'the following addresses? had (?:permanent|transient) (?:fatal )?errors',
    'qmail-send program',
    "(?:wasn't|was not) able to deliver your message",
    'delivery has failed to these recipients',
    "your message (?:to \\S+ )?(?:couldn't|could not|wasn't|was not|can't|cannot) (?:be )?deliver",
    'message to <?[^\\s>]+@[^\\s>]+>? was undeliverable',
    'delivery to the following recipients? (?:failed|has been delayed|was delayed)',
    'the (?:e-?mail )?account that you tried to reach does not exist',
    "(?:couldn't|could not|wasn't able to|was unable to) find the (?:e-?mail )?address",
    "address (?:couldn't|could not) be found",
    '(?:unable|not able) to deliver (?:your |the |this )?(?:message|mail|e-?mail)',
    'created automatically by mail delivery software',
    'delivery to the following recipients? failed permanently',
    'remote server returned',
    'has not yet been delivered',
    '(?:message|mail) delivery (?:has )?failed',
    'your message was not delivered to',
    'returned mail: see transcript',
    'permanent error\\. the following address',
    'nachricht konnte nicht (?:an [^\\n]{0,80} )?zugestellt werden',
    'zustellung an (?:folgende|diese) empfänger[^\\n]{0,20} fehlgeschlagen',
    "n'a pas pu être (?:remis|distribué|livré|délivré)",
    'impossible de (?:remettre|distribuer|livrer) (?:le|votre) message',
    'la remise [^\\n]{0,60} a échoué',
    'no se (?:ha )?pud(?:o|ieron) entregar',
    'no (?:pudo|ha podido) ser entregado',
    'la entrega [^\\n]{0,60} (?:ha )?fall(?:ado|ó)',
  ].join('|'),
  'i',
);

const failureReason =
  /user unknown|unknown user|no such (?:user|recipient|mailbox|address)|mailbox (?:unavailable|not found|does not exist|full|is full)|recipient address rejected|address rejected|does not exist|quota exceeded|over quota|exceeded (?:the |their )?(?:storage|mailbox) quota|relay access denied|host (?:or domain name )?not found|domain not found|invalid recipient|no mailbox here|benutzer unbekannt|empfänger unbekannt|postfach voll|utilisateur inconnu|destinataire inconnu|boîte (?:aux lettres )?pleine|usuario desconocido|buzón lleno/i;
const smtpFailureReply = /\b[45][0-5]\d[ -]#?[45]\.\d{1,3}\.\d{1,3}\b/;

function collectSignals(input: DeliveryReportInput): Signal[] {
  const { subject, from, headers, fullText } = input;
  const head = reportPart(fullText);
  const signals: Signal[] = [];
  const contentType = headers.get('content-type') ?? '';
  if (reportContentType.test(contentType)) {
    signals.push({ weight: 3, fact: 'Content-Type: multipart/report; report-type=delivery-status header present' });
  } else {
    const inBody = reportContentType.exec(head);
    if (inBody) signals.push({ weight: 3, fact: 'message/delivery-status part in body', at: inBody.index });
  }
  const failedRecipients = headers.get('x-failed-recipients');
  if (failedRecipients) signals.push({ weight: 3, fact: `X-Failed-Recipients: ${failedRecipients.slice(0, 100)} header present` });
  const field = reportFields.exec(head);
  const status = reportStatus.exec(head);
  if (field && (status || failedAction.test(head))) {
    signals.push({ weight: 3, fact: 'delivery status fields (Diagnostic-Code / Status / Action) in body', at: field.index });
  }
  if (daemonSender.test(from)) signals.push({ weight: 2, fact: `sender ${from.slice(0, 100)} is a mail delivery daemon` });
  if (bounceSubject.test(subject)) signals.push({ weight: 2, fact: `subject "${subject.slice(0, 100)}" announces a delivery failure` });
  const boilerplate = mtaBoilerplate.exec(head);
  if (boilerplate) {
    signals.push({ weight: 3, fact: `mail server wording "${boilerplate[0].slice(0, 80)}"`, at: boilerplate.index });
  }
  const smtpReply = smtpFailureReply.exec(head);
  if (smtpReply) signals.push({ weight: 2, fact: `SMTP failure reply "${smtpReply[0]}"`, at: smtpReply.index });
  const reason = failureReason.exec(head);
  if (reason) signals.push({ weight: 1, fact: `failure reason "${reason[0]}"`, at: reason.index });
  return signals;
}

/** A delivery status report (bounce) recognised by its headers, sender, subject and server wording. */
export function detectDeliveryReport(input: DeliveryReportInput): RuleMatch | undefined {
  const head = reportPart(input.fullText);
  // A report that only confirms delivery (Action: delivered/relayed) is not a bounce.
  if (successOnlyAction.test(head) && !failedAction.test(head)) return undefined;
  const signals = collectSignals(input);
  const score = signals.reduce((sum, signal) => sum + signal.weight, 0);
  if (score < reportThreshold) return undefined;
  const located = signals.find((signal) => signal.at !== undefined);
  const excerpt = located?.at !== undefined ? excerptAround(input.fullText, located.at) : input.subject.slice(0, 300);
  return { rule: 'delivery-report', label: 'bounce', facts: signals.map((signal) => signal.fact), excerpt };
}
