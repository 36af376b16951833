import * as chrono from 'chrono-node';
import { franc } from 'franc-min';
import { emailAddresses, emailAddressSource } from './email-address';
import type { OooDetails, Referral } from './schema';

export const leftCompanyPattern = new RegExp(
  [
    'no longer (?:with (?:the company|us|[a-z]+)|at (?:the company|[a-z]+)|employed|working (?:at|for|here|with us)|works? (?:at|for|here)|part of (?:the|our) (?:company|team|organi[sz]ation))',
    '(?:has|have) left (?:the company|the organi[sz]ation|the firm|our company|the business)',
    '(?:address|mailbox|account) is no longer (?:monitored|active|in use|valid)',
    'nicht mehr (?:im unternehmen|in unserem unternehmen|bei uns|für (?:uns|unser unternehmen|die firma) tätig|(?:bei [^\\n]{1,40} )?(?:tätig|beschäftigt))',
    '(?:hat|habe) (?:das unternehmen|die firma|unser unternehmen) verlassen',
    '(?:ist|bin) (?:aus dem unternehmen )?ausgeschieden',
    'ne fait plus partie',
    "(?:a|ai) quitté (?:l'entreprise|la société|notre société|nos équipes|l'équipe|le groupe)",
    "n'est plus (?:chez|au sein|en poste|employée?|dans l'entreprise)",
    'ne travaille plus (?:chez|pour|au sein|dans)',
    'ya no (?:trabaja|trabajo|forma parte|formo parte|pertenece|labora)',
    'ya no está (?:con nosotros|en la empresa)',
    '(?:dejó|ha dejado|abandonó) (?:la empresa|la compañía|la organización)',
    'non (?:lavora|fa) più (?:presso|per|parte)',
    '(?:ha|ho) lasciato (?:l.azienda|la società)',
    'non è più (?:in forza|dipendente|presso)',
    'niet (?:langer|meer) (?:werkzaam|in dienst|actief) (?:bij|voor)',
    '(?:heeft|heb) (?:het bedrijf|de organisatie) verlaten',
    'is uit dienst',
    'não (?:trabalha|faz parte) mais|já não (?:trabalha|faz parte)',
    '(?:deixou|saiu d)[ao] (?:empresa|companhia|organização)',
    '退職(?:いた)?しました|退社(?:いた)?しました|退職のため',
    '已离职|已经离职|不再(?:就职|任职|在)|已離職',
  ].join('|'),
  'i',
);

/** "I've left Contoso": a company name is capitalised, which tells it from "I have left you a voicemail". */
const leftNamedCompany = /\b(?:I've|I have|has|have) left (?=\p{Lu})/u;

/** Where the text says the person left the company, if it does. */
export function findLeftCompany(text: string): RegExpExecArray | null {
  return leftCompanyPattern.exec(text) ?? leftNamedCompany.exec(text);
}

/** Words that tell a date is when the person is back (or until when they are away). */
export const returnCue =
  /(?<!\p{L})(?:back|return(?:ing)?|until|till|through|zurück|wieder|bis|retour|jusqu|regres\p{L}*|volver\p{L}*|vuelv\p{L}*|de vuelta|hasta|fino|sino|rientr\p{L}*|ritorn\p{L}*|torner\p{L}*|tot|t\/m|terug|weer|até|retorn\p{L}*|voltar\p{L}*|volto|de volta)(?!\p{L})|まで|戻|復帰|出社|より|以降|以後|至|到|返回|回到|回来|之前|以后/iu;

/** Words that introduce a colleague to contact instead. */
export const referralCue =
  /(?:contact|talk to|speak (?:to|with)|try|voyez avec|hable con|contatti|contattare|scrivete a|neem contact|mailen naar|fale com|contate|escreva para|担当者|ご連絡ください|までご連絡|请联系|联系|reach out to|reach|get in touch with|write to|forward(?:ed)? to|urgent|in my absence|wenden sie sich|kontaktieren sie|erreichen sie|schreiben sie|dringend|vertretung|während meiner abwesenheit|contacter|contactez|joindre|adressez-vous|s'adresser|écrire à|en mon absence|urgence|contactar|póngase en contacto|comuníquese|escriba a|escribir a|urgente|en mi ausencia)/i;

/** "email jane@…", "écrivez à jane@…": the address is written as the one to use. */
const addressedTo = /(?:e-?mail|write to|écrivez à|écrire à|escriba a|escribir a|schreiben sie an)\s*:?\s*$/i;

const colleagueWord =
  /\b(?:colleague|co-?worker|deputy|backup|replacement|successor|kollegin|kollegen|kollege|vertretung|nachfolger(?:in)?|collègue|remplaçante?|successeur|compañer[oa]|suplente|sustitut[oa])\b/i;

const capitalisedWords = "\\p{Lu}[\\p{Ll}'’-]+(?:\\s+(?:(?:van|von|de|der|del|la|le|da|di)\\s+)?\\p{Lu}[\\p{Ll}'’-]+){0,3}";
const capitalisedRuns = new RegExp(capitalisedWords, 'gu');
const firstCapitalisedRun = new RegExp(capitalisedWords, 'u');
/** Capitalised words that are not part of a person's name. */
const notNameWords = new Set(
  (
    'please kindly contact email e-mail mail my our the for in during urgent urgently matters questions you your i ' +
    'mr mrs ms miss dr prof frau herr mme madame monsieur m sr sra srta don doña ' +
    'bitte wenden sie ich meine meinen meiner mein unser unsere kollegin kollegen kollege vertretung dringenden fällen ' +
    'veuillez contacter vous votre mon ma ma collègue en cas pour merci ' +
    'por favor contacte contactar su mi compañera compañero con para en caso ' +
    'team support service sales office vertrieb büro kundenservice service équipe equipo ventas oficina ' +
    // The verbs that start a referral sentence ("Reach Jane Doe on …", "Schreiben Sie an …").
    'reach write call ask try talk speak forward send get contatti contattare scrivete scrivere rivolgersi neem ' +
    'mailen fale contate escreva schreiben erreichen kontaktieren joindre écrivez adressez-vous escriba comuníquese póngase'
  ).split(' '),
);

function personName(words: string): string | undefined {
  const parts = words.split(/\s+/);
  while (parts.length > 0 && notNameWords.has((parts[0] ?? '').toLowerCase().replace(/\.$/, ''))) parts.shift();
  while (parts.length > 0 && notNameWords.has((parts[parts.length - 1] ?? '').toLowerCase())) parts.pop();
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** The name written just before an address ("Jane Doe (jane@…)", "Frau Anna Schmidt unter anna@…"). */
function nameBefore(window: string, hasColleagueWord: boolean): string | undefined {
  const runs = [...window.matchAll(capitalisedRuns)];
  const last = runs[runs.length - 1];
  if (!last) return undefined;
  const between = window.slice(last.index + last[0].length);
  // Only punctuation and at most three lower-case words ("at", "erreichbar unter", "à l'adresse") may separate them.
  if (!/^[\s(<[:,–-]*(?:[\p{Ll}'’.]+[\s(<[:,–-]*){0,3}$/u.test(between)) return undefined;
  const name = personName(last[0]);
  if (!name) return undefined;
  return name.includes(' ') || hasColleagueWord ? name : undefined;
}

export function extractReferral(text: string, senderEmail: string | undefined): Referral | undefined {
  for (const match of text.matchAll(new RegExp(emailAddressSource, 'g'))) {
    const email = match[0].replace(/\.$/, '');
    if (senderEmail && email.toLowerCase() === senderEmail.toLowerCase()) continue;
    const window = text.slice(Math.max(0, match.index - 140), match.index);
    const hasColleagueWord = colleagueWord.test(window);
    if (!referralCue.test(window) && !hasColleagueWord && !addressedTo.test(window)) continue;
    const name = nameBefore(window, hasColleagueWord);
    return name ? { name, email } : { email };
  }
  const cue = referralCue.exec(text);
  if (!cue) return undefined;
  const after = text.slice(cue.index + cue[0].length, cue.index + cue[0].length + 80);
  const run = firstCapitalisedRun.exec(after);
  if (!run) return undefined;
  const name = personName(run[0]);
  return name && (name.includes(' ') || colleagueWord.test(after)) ? { name } : undefined;
}

type Language = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pt' | 'ja' | 'zh';
const francCodes: Record<string, Language> = {
  eng: 'en',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  ita: 'it',
  nld: 'nl',
  por: 'pt',
  jpn: 'ja',
  cmn: 'zh',
};

/**
 * Parsers to try: the likely ones (the detected language, scripts for Japanese and Chinese, English, since many
 * notices repeat themselves in English) in that order, then the rest, since short notices fool any language
 * detector.
 */
function likelyLanguages(text: string): { likely: Language[]; rest: Language[] } {
  const first = francCodes[franc(text.slice(0, 2000), { only: Object.keys(francCodes), minLength: 3 })] ?? 'en';
  const likely = new Set<Language>([first]);
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) likely.add('ja');
  if (/\p{Script=Han}/u.test(text)) likely.add('zh').add('ja');
  likely.add('en');
  return { likely: [...likely], rest: Object.values(francCodes).filter((language) => !likely.has(language)) };
}

/** Whether a parse names a calendar day (a day of a month), not only a weekday or an hour. */
const namesCalendarDay = (result: chrono.ParsedResult) => result.start.isCertain('day') && result.start.isCertain('month');

const dayMs = 24 * 60 * 60 * 1000;
/** How far ahead a date read by another language than the first may lie: a notice's return is weeks away, not months. */
const overrideHorizonMs = 92 * dayMs;

/**
 * A sentence's dates as the first likely language reads them, unless it names no day of the month there and a
 * later likely language reads a calendar day in the weeks ahead: in a Japanese notice with an English line, French
 * (detected from the names in it) reads "back Mar 16" as Tuesday at 16:00, English as 16 March. A weekday with its
 * day ("martes 16") is kept, and so is a weekday another language would read as a month ("mar." is March in English,
 * mardi in French). Beyond the likely languages, the first that reads any date is taken.
 */
function parseDates(sentence: string, languages: { likely: Language[]; rest: Language[] }, reference: chrono.ParsingReference | undefined) {
  const parse = (language: Language) => parsers[language].parse(sentence, reference ?? new Date(0), { forwardDate: true });
  const from = reference?.instant?.getTime();
  const soon = (result: chrono.ParsedResult) => {
    if (from === undefined) return true;
    const ahead = result.start.date().getTime() - from;
    return ahead > -dayMs && ahead <= overrideHorizonMs;
  };
  let firstRead: chrono.ParsedResult[] | undefined;
  for (const language of languages.likely) {
    const results = parse(language);
    if (results.length === 0) continue;
    if (!firstRead) {
      if (results.some((result) => result.start.isCertain('day'))) return results;
      firstRead = results;
    } else if (results.some((result) => namesCalendarDay(result) && soon(result))) return results;
  }
  if (firstRead) return firstRead;
  for (const language of languages.rest) {
    const results = parse(language);
    if (results.length > 0) return results;
  }
  return [];
}

/** German writes "bis 03.01." without a year; chrono's German parser needs to be taught that form. */
const germanParser = chrono.de.casual.clone();
germanParser.parsers.push({
  pattern: () => /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?!\d)/,
  extract: (_context, match) => ({ day: Number(match[1]), month: Number(match[2]) }),
});
const parsers: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  de: germanParser,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  it: chrono.it.casual,
  nl: chrono.nl.casual,
  pt: chrono.pt.casual,
  ja: chrono.ja.casual,
  zh: chrono.zh.casual,
};

interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

function isoDay({ year, month, day }: CalendarDay): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first weekday after `day`: someone away "through Friday" is back on Monday. */
function nextBusinessDay({ year, month, day }: CalendarDay): CalendarDay {
  const date = new Date(Date.UTC(year, month - 1, day + 1));
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function componentsDay(components: chrono.ParsedComponents): CalendarDay {
  return { year: components.get('year') ?? 0, month: components.get('month') ?? 0, day: components.get('day') ?? 0 };
}

const explicitReturn =
  /(?<!\p{L})(?:back|return(?:ing)?|zurück|wieder|retour|regres\p{L}*|vuelv\p{L}*|volver\p{L}*|de vuelta|rientr\p{L}*|ritorn\p{L}*|torner\p{L}*|di nuovo|terug|weer|retorn\p{L}*|voltar\p{L}*|volto|de volta)(?!\p{L})|戻|復帰|出社|より|返回|回到|回来|以后|之后/iu;
/**
 * Japanese "X以降" (from X on) right after the date: a return ("X以降に順次ご返信"), weaker than "X より出社", and not
 * when it is the absence that starts then ("X以降不在").
 */
const fromThatDayOn = /^\s*(?:[（(][^）)]{1,4}[）)])?\s*(?:以降|以後)(?![^。]{0,4}(?:不在|休|出張|留守))/u;
const inclusiveEnd =
  /(?<!\p{L})(?:through|thru|including|inclusive|einschließlich|inklusive|inclus|incluido|inclusive|compreso|incluso|tot en met|t\/m|inclusief)(?!\p{L})|まで|至/iu;
const untilWord = /(?<!\p{L})(?:until|till|til|bis|jusqu|hasta|fino|sino|tot|até)(?!\p{L})|到|之前/iu;

interface ReturnCandidate {
  day: CalendarDay;
  /** Lower wins: "back on <date>" beats "<date> wieder da" beats "away until" beats a bare range. */
  rank: number;
  position: number;
}

/** "2024-11-27T09:00:00+01:00" → chrono reference in the sender's own offset, so weekdays resolve as they meant. */
function parsingReference(messageDate: string | undefined): chrono.ParsingReference | undefined {
  if (!messageDate) return undefined;
  const instant = new Date(messageDate);
  if (Number.isNaN(instant.getTime())) return undefined;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(messageDate);
  const timezone = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return { instant, timezone };
}

function referenceDay(reference: chrono.ParsingReference): CalendarDay {
  const offsetMinutes = typeof reference.timezone === 'number' ? reference.timezone : 0;
  const local = new Date((reference.instant?.getTime() ?? 0) + offsetMinutes * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

const sentenceBreak = /(?<!\d)[.!?]+\s+(?=\p{Lu})|[。！？]+|\n+/u;

/**
 * When the person is back, as YYYY-MM-DD. Relative dates resolve against the message date; without one,
 * only fully written dates (day, month and year) are trusted, so the result never depends on the clock.
 */
export function extractReturnDate(text: string, messageDate: string | undefined): string | undefined {
  const reference = parsingReference(messageDate);
  const earliest = reference ? isoDay(referenceDay(reference)) : undefined;
  const languages = likelyLanguages(text);
  const candidates: ReturnCandidate[] = [];
  let position = 0;
  for (const sentence of text.slice(0, 4000).split(sentenceBreak)) {
    position += 1;
    if (!returnCue.test(sentence)) continue;
    for (const result of parseDates(sentence, languages, reference)) {
      const written = namesCalendarDay(result) && result.start.isCertain('year');
      if (!reference && !written) continue;
      const before = sentence.slice(Math.max(0, result.index - 40), result.index);
      const after = sentence.slice(result.index + result.text.length, result.index + result.text.length + 25);
      const start = componentsDay(result.start);
      if (explicitReturn.test(before)) {
        candidates.push({ day: start, rank: 0, position });
      } else if (inclusiveEnd.test(before.slice(-15))) {
        // "休假至 X，回来后…", "through X, back after": the last day away, whatever follows.
        candidates.push({ day: nextBusinessDay(start), rank: 1, position });
      } else if (explicitReturn.test(after)) {
        candidates.push({ day: start, rank: 0.5, position });
      } else if (fromThatDayOn.test(after)) {
        candidates.push({ day: start, rank: 0.75, position });
      } else if (result.end) {
        candidates.push({ day: nextBusinessDay(componentsDay(result.end)), rank: 2, position });
      } else if (inclusiveEnd.test(before) || inclusiveEnd.test(after)) {
        candidates.push({ day: nextBusinessDay(start), rank: 1, position });
      } else if (untilWord.test(before)) {
        candidates.push({ day: start, rank: 1, position });
      }
    }
  }
  const plausible = candidates.filter((candidate) => !earliest || isoDay(candidate.day) >= earliest);
  plausible.sort((a, b) => a.rank - b.rank || a.position - b.position);
  const chosen = plausible[0];
  return chosen ? isoDay(chosen.day) : undefined;
}

export interface OooInput {
  subject: string;
  ownText: string;
  from: string;
  date?: string;
}

/** Return date, alternate contact and whether the person left, from an out-of-office notice. */
export function extractOooDetails(input: OooInput): OooDetails {
  const text = `${input.subject}\n${input.ownText}`;
  const senderEmail = emailAddresses(input.from)[0];
  const returnDate = extractReturnDate(text, input.date);
  const referral = extractReferral(input.ownText, senderEmail);
  const leftCompany = findLeftCompany(text) !== null;
  return {
    ...(returnDate ? { returnDate } : {}),
    ...(referral ? { referral } : {}),
    ...(leftCompany ? { leftCompany } : {}),
  };
}

/**
 * Steps that prepare every date parser before the first notice needs it. V8 compiles a regular expression on
 * its first use and again, to machine code, on its second; chrono's patterns are large, so the first two
 * out-of-office notices a process read took about 0.7 s of uninterrupted CPU between them (200 ms, then 500 ms;
 * 0.5 ms each after that), stalling every request that shared the event loop. Each step parses one sentence
 * twice in one language, so a host can run them one per turn of its event loop at start-up.
 */
export function dateParsingWarmUps(): (() => void)[] {
  const sample = 'Back on Monday, 5 January 2026; out until next week.';
  const steps = (Object.keys(parsers) as Language[]).map((language) => () => {
    for (let pass = 0; pass < 2; pass += 1) parsers[language].parse(sample, new Date(0), { forwardDate: true });
  });
  steps.push(() => {
    for (let pass = 0; pass < 2; pass += 1) extractReturnDate(`I am out of the office until Monday.\n${sample}`, '2026-01-01T09:00:00Z');
  });
  return steps;
}
