import type { HeaderMap } from './headers';
import { cutHtmlAtQuotedHistory, htmlToText, looksLikeHtml } from './html-text';
import type { TraceStep } from './schema';

/** Bodies beyond this are cut before any work: a DSR or reply never needs more to be recognised. */
export const maxBodyChars = 1_000_000;
/** The prospect's own words are scored on at most this many characters. */
export const maxScoredChars = 20_000;

export interface ReplyText {
  /** Subject without Re:/AW:/Fwd: prefixes. */
  subject: string;
  /** The whole body as plain text, history included: delivery reports quote the original below the report. */
  fullText: string;
  /** The prospect's own words: quoted history, signature and disclaimers removed; truncated. */
  ownText: string;
  notes: TraceStep[];
}

const replyPrefixes = /^\s*(?:(?:re|aw|sv|vs|antw|wg|fw|fwd|tr|rv|rif|réf|r|enc|doorst|回复|答复|回覆|転送|返信)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;

/** "On … wrote:" in the languages of the clients prospects use (Gmail, Apple Mail, Thunderbird, Outlook mobile). */
const quoteIntroduction =
  /^(?:(?:on|am|le|el|op|il|em|den|dnia)\s.{0,300}(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev|napisał)\s*[:：]?\s*$|.{0,300}(?:が書きました|写道|寫道)\s*[:：]?\s*$)/i;
const quoteIntroductionStart = /^(?:on|am|le|el|op|il|em|den|dnia)\s/i;
const historySeparator =
  /^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht|mensagem original|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada|原始邮件|原始郵件|転送されたメッセージ|元のメッセージ|转发的邮件)|(?:begin forwarded message|anfang der weitergeleiteten nachricht|début du message réenvoyé|inizio messaggio inoltrato|begin doorgestuurd bericht|início da mensagem encaminhada)\s*[:：]|_{8,}\s*$)/i;
/** The first line of an Outlook-style header block ("From: …" followed by "Sent:", "To:", "Subject:"). */
const historyHeaderStart = /^\*?(?:from|von|de|da|van|från|od|差出人|送信者|发件人|寄件者)\s*\*?[:：]\*?\s*\S/i;
const historyHeaderField =
  /^\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|à|objet|enviado(?: el)?|fecha|para|asunto|inviato|data|a|oggetto|verzonden|aan|onderwerp|assunto|skickat|ämne|送信日時|日時|宛先|件名|发送时间|發送時間|日期|收件人|主题|主旨)\s*\*?[:：]/i;
const signatureStart =
  /^(?:-- ?$|sent from my |sent from outlook|get outlook for |von meinem .{1,40} gesendet|envoyé de mon |enviado desde mi |enviado do meu |inviato da(?:l mio)? |verzonden (?:vanaf|met) (?:mijn )?|iphoneから送信|发自我的|從我的 iphone 傳送|confidentiality notice|disclaimer:|this (?:e-?mail|message)(?: and any attachments?)? (?:is|are|may be|contains?) (?:confidential|privileged)|diese e-?mail (?:enthält|kann) vertrauliche|ce (?:message|courriel) (?:et (?:toutes )?(?:les|ses) pièces jointes )?(?:est|sont) confidentiel|questo messaggio (?:e|è) (?:destinato|confidenziale|riservato)|este (?:mensaje|correo) (?:es|y sus anexos son) confidencial|dit bericht is (?:vertrouwelijk|uitsluitend bestemd))/i;
const closingLine =
  /^(?:best|kind regards|best regards|warm regards|regards|many thanks|thanks|thank you|cheers|sincerely|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|lg|mfg|cordialement|bien cordialement|bien à vous|salutations|saludos|un saludo|saludos cordiales|atentamente|cordiali saluti|distinti saluti|saluti|un saluto|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|groet|atenciosamente|cumprimentos|abraços|obrigad[oa]|com os melhores cumprimentos|よろしくお願いします。?|よろしくお願いいたします。?|此致|敬礼)[ ,.!]*$/i;

/** The decoder for the body's declared charset (Content-Type: …; charset=iso-8859-1), UTF-8 when absent or unknown. */
function charsetDecoder(headers: HeaderMap): TextDecoder {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(headers.get('content-type') ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

function decodeQuotedPrintable(text: string, decoder: TextDecoder): string {
  return text.replace(/=\r?\n/g, '').replace(/(?:=[0-9A-F]{2})+/gi, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return decoder.decode(bytes);
  });
}

function decodeBase64(text: string, decoder: TextDecoder): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const binary = atob(compact);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return decoder.decode(bytes);
}

/** Windows-1252 characters for bytes 0x80–0x9F, which is how most mis-decoded UTF-8 shows up ("GrÃ¼ÃŸe"). */
const windows1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function windows1252Byte(char: string): number | undefined {
  const code = char.charCodeAt(0);
  const index = windows1252.indexOf(char);
  if (index >= 0) return 0x80 + index;
  return code <= 0xff ? code : undefined;
}

/** UTF-8 that was read as Latin-1 or Windows-1252 ("fÃ¼r"); re-decoding restores the words the model knows. */
function repairMojibake(text: string): string | undefined {
  const suspicious = text.match(/[ÃÂ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/g);
  if (!suspicious || suspicious.length < 2) return undefined;
  const bytes: number[] = [];
  for (const char of text) {
    const byte = windows1252Byte(char);
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  const repaired = new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  return repaired.includes('\ufffd') ? undefined : repaired;
}

function decodeBody(body: string, headers: HeaderMap, notes: TraceStep[]): string {
  const transferEncoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (transferEncoding === 'base64') {
    const decoded = decodeBase64(body, charsetDecoder(headers));
    if (decoded !== undefined) {
      notes.push({ step: 'decode', detail: 'base64 body decoded' });
      return decoded;
    }
  }
  const softBreaks = body.match(/=\r?\n/g)?.length ?? 0;
  const escapes = body.match(/=[0-9A-F]{2}/g)?.length ?? 0;
  if (transferEncoding === 'quoted-printable' || (softBreaks >= 1 && escapes >= 2) || escapes >= 6) {
    notes.push({ step: 'decode', detail: 'quoted-printable body decoded' });
    return decodeQuotedPrintable(body, charsetDecoder(headers));
  }
  const repaired = repairMojibake(body);
  if (repaired !== undefined) {
    notes.push({ step: 'decode', detail: 'UTF-8 read as Latin-1 repaired' });
    return repaired;
  }
  return body;
}

function normalizeWhitespace(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff]/g, '')
      .replace(/\u00a0/g, ' ')
  );
}

export interface StrippedText {
  text: string;
  /** The line that started the quoted history or signature, when one was found. */
  cutAt?: string;
  quotedLinesDropped: number;
}

/** The author's own lines: everything before quoted history, signature or disclaimer, minus '>' lines. */
export function stripQuotedHistory(text: string): StrippedText {
  const lines = text.split('\n');
  const kept: string[] = [];
  let keptContent = false;
  let quotedLinesDropped = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    const next = (lines[i + 1] ?? '').trim();
    if (line.startsWith('>')) {
      quotedLinesDropped += 1;
      continue;
    }
    const startsHistory =
      quoteIntroduction.test(line) ||
      (quoteIntroductionStart.test(line) && line.length < 300 && quoteIntroduction.test(`${line} ${next}`)) ||
      historySeparator.test(line) ||
      (historyHeaderStart.test(line) && lines.slice(i + 1, i + 4).some((following) => historyHeaderField.test(following.trim()))) ||
      signatureStart.test(line) ||
      (closingLine.test(line) && keptContent);
    if (startsHistory) return { text: kept.join('\n').trim(), cutAt: line.slice(0, 80), quotedLinesDropped };
    kept.push(lines[i] ?? '');
    keptContent ||= line !== '';
  }
  return { text: kept.join('\n').trim(), quotedLinesDropped };
}

/** "Re: …", "AW: …": a reply keeps our own subject line, which says nothing about the prospect. */
export function isReplySubject(subject: string): boolean {
  return replyPrefixes.test(subject);
}

export function cleanSubject(subject: string): string {
  return subject.replace(replyPrefixes, '').trim();
}

export function readReplyText(subject: string, body: string, headers: HeaderMap): ReplyText {
  const notes: TraceStep[] = [];
  let raw = body;
  if (raw.length > maxBodyChars) {
    notes.push({ step: 'truncate', detail: `body of ${raw.length} chars cut to ${maxBodyChars} before reading` });
    raw = raw.slice(0, maxBodyChars);
  }
  raw = normalizeWhitespace(decodeBody(raw, headers, notes));

  const isHtml = headers.get('content-type')?.toLowerCase().startsWith('text/html') || looksLikeHtml(raw);
  const fullText = isHtml ? htmlToText(raw) : raw;
  const ownSource = isHtml ? htmlToText(cutHtmlAtQuotedHistory(raw)) : raw;
  if (isHtml) notes.push({ step: 'html', detail: 'HTML body converted to text' });

  const stripped = stripQuotedHistory(ownSource);
  if (stripped.cutAt !== undefined) {
    notes.push({ step: 'strip-quotes', detail: `own words end before "${stripped.cutAt}"` });
  }
  if (stripped.quotedLinesDropped > 0) {
    notes.push({ step: 'strip-quotes', detail: `${stripped.quotedLinesDropped} '>' quoted lines dropped` });
  }
  let ownText = stripped.text;
  if (ownText.length > maxScoredChars) {
    notes.push({ step: 'truncate', detail: `own words cut from ${ownText.length} to ${maxScoredChars} chars for scoring` });
    ownText = ownText.slice(0, maxScoredChars);
  }
  return { subject: cleanSubject(subject), fullText, ownText, notes };
}
