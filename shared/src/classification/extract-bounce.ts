import { reportPart } from './detect-bounce';
import { emailAddresses, emailAddressSource } from './email-address';
import type { HeaderMap } from './headers';
import type { BounceDetails, BounceKind } from './schema';

export interface ExtractedBounce extends BounceDetails {
  /** Why the kind was chosen, for the decision trace. */
  kindReason: string;
}

const emailPattern = emailAddressSource;
const daemonAddress = /^(?:mailer-daemon|mailer_daemon|postmaster|mail-daemon|mdaemon|no-?reply)@/i;

const enhancedStatus = /(?<![\d.])([45])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;
const statusField = /^status\s*:\s*([245]\.\d{1,3}\.\d{1,3})/im;
const smtpReplyCode =
  /(?:said:|diagnostic-code:[^\n]*?;|<<<|remote server returned '?|smtp error[^\n]{0,40}?:|error:?|reply:)\s*'?#?([45][0-5]\d)(?:[ -]|$)/im;

/** Full mailboxes and over-quota accounts can drain; those stay soft even under a 5.x.x status. */
const capacityReason =
  /mailbox (?:is )?full|over ?quota|quota (?:exceeded|exceed)|exceed(?:s|ed)? (?:the |their |its |his |her )?(?:storage |mailbox |disk )?(?:quota|limit|space)|out of storage|insufficient (?:system )?storage|postfach (?:ist )?voll|speicher[^\n]{0,20}überschritten|boîte (?:aux lettres )?(?:est )?pleine|quota dépassé|buzón (?:está )?lleno|cuota (?:excedida|superada)/i;
const temporaryReason =
  /temporar(?:y|ily)|try again later|deferred|delayed|greylist|rate limit|too many (?:connections|messages)|will (?:continue to )?retry|still trying|has not yet been delivered|timed? ?out|server busy|vorübergehend|erneut versucht|temporairement|nouvel essai|temporalmente|se reintentará/i;
const permanentReason =
  /user unknown|unknown user|no such (?:user|recipient|mailbox|address)|(?:does not|doesn't|dosn't|did not) exist|mailbox (?:unavailable|not found)|address rejected|recipient rejected|invalid (?:recipient|address|mailbox)|unknown (?:recipient|address)|not listed in|address (?:couldn't|could not) be found|no mailbox here|account (?:is |has been )?disabled|permanent|benutzer unbekannt|empfänger unbekannt|existiert nicht|utilisateur inconnu|destinataire inconnu|n'existe pas|usuario desconocido|no existe/i;

function firstStatus(text: string): string | undefined {
  const field = statusField.exec(text);
  if (field?.[1] && !field[1].startsWith('2')) return field[1];
  const anywhere = enhancedStatus.exec(text);
  return anywhere ? `${anywhere[1]}.${anywhere[2]}.${anywhere[3]}` : undefined;
}

function chooseKind(text: string, status: string | undefined): { kind: BounceKind; kindReason: string } {
  const capacity = capacityReason.exec(text);
  if (capacity) return { kind: 'soft', kindReason: `mailbox capacity problem "${capacity[0]}"` };
  if (status) {
    return status.startsWith('4')
      ? { kind: 'soft', kindReason: `transient status ${status}` }
      : { kind: 'hard', kindReason: `permanent status ${status}` };
  }
  const reply = smtpReplyCode.exec(text);
  if (reply?.[1]) {
    return reply[1].startsWith('4')
      ? { kind: 'soft', kindReason: `transient SMTP reply ${reply[1]}` }
      : { kind: 'hard', kindReason: `permanent SMTP reply ${reply[1]}` };
  }
  const permanent = permanentReason.exec(text);
  if (permanent) return { kind: 'hard', kindReason: `permanent failure "${permanent[0]}"` };
  const temporary = temporaryReason.exec(text);
  if (temporary) return { kind: 'soft', kindReason: `temporary failure "${temporary[0]}"` };
  return { kind: 'hard', kindReason: 'no status or reason found; treated as permanent so nothing is sent again' };
}

const recipientPatterns: RegExp[] = [
  new RegExp(`^(?:final|original)-recipient\\s*:\\s*rfc822\\s*;\\s*<?(${emailPattern})`, 'im'),
  new RegExp(`^<(${emailPattern})>\\s*:`, 'm'),
  new RegExp(`<(${emailPattern})>\\.\\.\\.`),
  new RegExp(`(?:delivered|deliver your message|deliverable) to:?\\s+<?(${emailPattern})`, 'i'),
  new RegExp(`message to <?(${emailPattern})>? was undeliverable`, 'i'),
  new RegExp(`delivery has failed to these recipients or groups:\\s*(?:[^\\n]*\\(|[^\\n]*<)?(${emailPattern})`, 'i'),
  new RegExp(`^\\s{2,}(${emailPattern})\\s*$`, 'm'),
  new RegExp(`(?:recipient|address|destinataire|empfänger|destinatario)[^\\n@]{0,30}?<?(${emailPattern})`, 'i'),
];

function failedRecipient(text: string, headers: HeaderMap, from: string): string | undefined {
  const header = emailAddresses(headers.get('x-failed-recipients') ?? '')[0];
  if (header) return header.toLowerCase();
  for (const pattern of recipientPatterns) {
    const found = pattern.exec(text)?.[1];
    if (found && !daemonAddress.test(found)) return found.toLowerCase();
  }
  const sender = emailAddresses(from)[0]?.toLowerCase();
  const fallback = emailAddresses(text.slice(0, 5000)).find((address) => !daemonAddress.test(address) && address.toLowerCase() !== sender);
  return fallback?.toLowerCase();
}

const originalToHeader = new RegExp(`^to:[^\\n]*?<?(${emailPattern})`, 'im');

/** Reports that only name the recipient in the returned original's To: header. */
function returnedOriginalRecipient(fullText: string): string | undefined {
  return originalToHeader.exec(fullText.slice(0, 100_000))?.[1]?.toLowerCase();
}

/** Hard or soft, the SMTP enhanced status and the recipient that failed, from a delivery report. */
export function extractBounce(fullText: string, headers: HeaderMap, from: string): ExtractedBounce {
  const report = reportPart(fullText);
  const status = firstStatus(report);
  const { kind, kindReason } = chooseKind(report, status);
  const recipient = failedRecipient(report, headers, from) ?? returnedOriginalRecipient(fullText);
  return {
    kind,
    kindReason,
    ...(status ? { status } : {}),
    ...(recipient ? { recipient } : {}),
  };
}
