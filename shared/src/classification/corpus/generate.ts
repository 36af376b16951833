/**
 * Writes the generated part of the dev set (dev-set/generated.jsonl):
 *
 *   npx tsx shared/src/classification/corpus/generate.ts
 *
 * Each phrasing in phrasings.ts and each delivery-report layout below is a template family, filled several
 * times with different people, companies, dates, greetings, signatures, legal footers and quoted history in the
 * layouts real clients write (Outlook header blocks, "On … wrote:", '>' quoting, forwarded blocks) in the
 * reply's language. Deterministic: a fixed seed, so the file only changes when the templates do.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DevExample } from '../dev-set';
import { autoReplySubjects, humanReplies, leftCompanyPhrasings, oooPhrasings, type HumanLabel, type Language } from './phrasings';

let seed = 0x5eed_2026;
/** mulberry32: small, fast and the same everywhere. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const firstNames = [
  'Priya',
  'Lukas',
  'Carmen',
  'Diego',
  'Hannah',
  'Chen',
  'Amara',
  'Tomás',
  'Giulia',
  'Sanne',
  'João',
  'Yuki',
  'Wei',
  'Fatima',
  'Oliver',
  'Marie',
  'Noah',
  'Sofia',
  'Kenji',
  'Lin',
];
const lastNames = [
  'Shah',
  'Becker',
  'Bernard',
  'Okafor',
  'Kowalski',
  'Martin',
  'Rossi',
  'de Vries',
  'Silva',
  'Tanaka',
  'Zhang',
  'Haddad',
  'Novak',
  'Müller',
  'García',
  'Jansen',
  'Costa',
  'Sato',
  'Li',
  'Dubois',
];
const companies = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Proseware',
  'Tailspin',
  'Litware',
  'Adatum',
  'Wingtip',
  'Fourth Coffee',
  'Trey Research',
  'Woodgrove',
  'Alpine Ski House',
];
const tlds: Record<Language, string> = { en: 'com', de: 'de', fr: 'fr', es: 'es', it: 'it', nl: 'nl', pt: 'com.br', ja: 'co.jp', zh: 'cn' };
const vendors = ['Outreach', 'Salesloft', 'Apollo', 'HubSpot Sequences', 'Groove', 'Reply.io'];
const pitchSubjects = [
  'Cutting prospecting time at {company}',
  'Quick question about {company}’s outbound',
  'Idea for {company}',
  'Following up',
  '{company} + ASEP',
];

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z]+/g, '');

interface Person {
  first: string;
  last: string;
  email: string;
  company: string;
}

function person(language: Language, company = pick(companies)): Person {
  const first = pick(firstNames);
  const last = pick(lastNames);
  return { first, last, company, email: `${slug(first)}.${slug(last)}@${slug(company)}.${tlds[language]}` };
}

const ourRep = { name: 'Sam Rivera', email: 'sam.rivera@asep-demo.com' };

function pitch(prospect: Person): string {
  return [
    `Hi ${prospect.first},`,
    '',
    `I noticed ${prospect.company} is hiring SDRs. Teams like yours use ASEP to cut prospecting time in half while staying compliant.`,
    '',
    'Worth a 15-minute call next week?',
    '',
    'Best,',
    ourRep.name,
    'ASEP',
    '',
    'If you would rather not hear from me, reply "unsubscribe".',
  ].join('\n');
}

const greetings: Record<Language, string[]> = {
  en: ['Hi Sam,', 'Hello Sam,', 'Sam,', ''],
  de: ['Hallo Herr Rivera,', 'Guten Tag,', ''],
  fr: ['Bonjour Sam,', 'Bonjour,', ''],
  es: ['Hola Sam,', 'Buenos días,', ''],
  it: ['Ciao Sam,', 'Buongiorno,', ''],
  nl: ['Hoi Sam,', 'Beste Sam,', ''],
  pt: ['Olá Sam,', 'Bom dia,', ''],
  ja: ['Rivera様', 'ASEP Rivera様', ''],
  zh: ['Sam 你好，', '您好，', ''],
};
const closings: Record<Language, string[]> = {
  en: ['Thanks,', 'Best,', 'Regards,', 'Cheers,', 'Kind regards,'],
  de: ['Viele Grüße', 'Mit freundlichen Grüßen', 'Beste Grüße'],
  fr: ['Cordialement,', 'Bien à vous,', 'Merci,'],
  es: ['Saludos,', 'Un saludo,', 'Atentamente,'],
  it: ['Cordiali saluti,', 'Saluti,', 'Grazie,'],
  nl: ['Met vriendelijke groet,', 'Groeten,', 'Groet,'],
  pt: ['Atenciosamente,', 'Abraços,', 'Obrigado,'],
  ja: ['よろしくお願いいたします。', 'よろしくお願いします。'],
  zh: ['此致', '谢谢'],
};
const mobileSignatures: Record<Language, string> = {
  en: 'Sent from my iPhone',
  de: 'Von meinem iPhone gesendet',
  fr: 'Envoyé de mon iPhone',
  es: 'Enviado desde mi iPhone',
  it: 'Inviato da iPhone',
  nl: 'Verzonden vanaf mijn iPhone',
  pt: 'Enviado do meu iPhone',
  ja: 'iPhoneから送信',
  zh: '发自我的iPhone',
};
const legalFooters = [
  'CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may be privileged. If you are not the intended recipient, please notify the sender and delete it.',
  'This email is confidential and intended solely for the addressee. Any views expressed are those of the author.',
  'Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender.',
];

function signature(language: Language, sender: Person): string {
  const block = [
    `${sender.first} ${sender.last}`,
    pick(['Head of Sales', 'VP Revenue', 'Sales Operations Manager', 'CFO', 'Director of IT']),
    sender.company,
  ];
  if (chance(0.5)) block.push(`+${Math.floor(10 + random() * 80)} ${Math.floor(100 + random() * 900)} ${Math.floor(1000 + random() * 9000)}`);
  const parts = [pick(closings[language]), chance(0.3) ? ['--', ...block].join('\n') : block.join('\n')];
  if (chance(0.2)) parts.push(mobileSignatures[language]);
  if (chance(0.2)) parts.push(pick(legalFooters));
  return parts.join('\n');
}

const outlookLabels: Record<Language, [string, string, string, string]> = {
  en: ['From', 'Sent', 'To', 'Subject'],
  de: ['Von', 'Gesendet', 'An', 'Betreff'],
  fr: ['De', 'Envoyé', 'À', 'Objet'],
  es: ['De', 'Enviado el', 'Para', 'Asunto'],
  it: ['Da', 'Inviato', 'A', 'Oggetto'],
  nl: ['Van', 'Verzonden', 'Aan', 'Onderwerp'],
  pt: ['De', 'Enviado', 'Para', 'Assunto'],
  ja: ['差出人', '送信日時', '宛先', '件名'],
  zh: ['发件人', '发送时间', '收件人', '主题'],
};
const wroteLines: Record<Language, (when: string) => string> = {
  en: (when) => `On ${when}, ${ourRep.name} <${ourRep.email}> wrote:`,
  de: (when) => `Am ${when} schrieb ${ourRep.name} <${ourRep.email}>:`,
  fr: (when) => `Le ${when}, ${ourRep.name} <${ourRep.email}> a écrit :`,
  es: (when) => `El ${when}, ${ourRep.name} <${ourRep.email}> escribió:`,
  it: (when) => `Il giorno ${when} ${ourRep.name} <${ourRep.email}> ha scritto:`,
  nl: (when) => `Op ${when} schreef ${ourRep.name} <${ourRep.email}>:`,
  pt: (when) => `Em ${when}, ${ourRep.name} <${ourRep.email}> escreveu:`,
  ja: (when) => `${when} ${ourRep.name} <${ourRep.email}>:`,
  zh: (when) => `${ourRep.name} <${ourRep.email}> 于 ${when} 写道：`,
};

/** Our pitch below the reply, the way the prospect's client quotes it. */
function quotedHistory(language: Language, prospect: Person, subject: string, sentAt: Date): string {
  const when = sentAt.toUTCString().replace(' GMT', '');
  const original = pitch(prospect);
  switch (pick(['outlook', 'wrote', 'wrote', 'forward', 'none'] as const)) {
    case 'outlook': {
      const [from, sent, to, subjectLabel] = outlookLabels[language];
      return [
        '________________________________',
        `${from}: ${ourRep.name} <${ourRep.email}>`,
        `${sent}: ${when}`,
        `${to}: ${prospect.email}`,
        `${subjectLabel}: ${subject}`,
        '',
        original,
      ].join('\n');
    }
    case 'wrote': {
      const quoteLine = language === 'ja' ? `${when} ${ourRep.name} <${ourRep.email}>:` : wroteLines[language](when);
      return [quoteLine, ...original.split('\n').map((line) => `> ${line}`.trimEnd())].join('\n');
    }
    case 'forward':
      return [
        '-----Original Message-----',
        `From: ${ourRep.name} [mailto:${ourRep.email}]`,
        `Sent: ${when}`,
        `To: ${prospect.email}`,
        `Subject: ${subject}`,
        '',
        original,
      ].join('\n');
    case 'none':
      return '';
  }
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);
}

interface Stamp {
  sentAt: Date;
  repliedAt: Date;
}

/** A weekday morning between 2024 and 2026, our email a few days before the reply. */
function stamp(): Stamp {
  const repliedAt = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 1000) * 86_400_000 + (8 + Math.floor(random() * 9)) * 3_600_000);
  while (repliedAt.getUTCDay() === 0 || repliedAt.getUTCDay() === 6) repliedAt.setUTCDate(repliedAt.getUTCDate() + 1);
  const sentAt = new Date(repliedAt.getTime() - (1 + Math.floor(random() * 5)) * 86_400_000);
  return { sentAt, repliedAt };
}

/** Half the replies carry an RFC 5322 date as exported mail does, half ISO 8601 with an offset. */
function dateField(at: Date): string {
  if (chance(0.5)) return at.toISOString().replace('.000Z', '+00:00');
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${days[at.getUTCDay()]}, ${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:00 +0000 (UTC)`;
}

const weekdays: Record<Language, string[]> = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  de: ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'],
  fr: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
  es: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
  it: ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'],
  nl: ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'],
  pt: ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'],
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  zh: ['日', '一', '二', '三', '四', '五', '六'],
};
const monthNames: Partial<Record<Language, string[]>> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  de: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  pt: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
};

/** A calendar day as people write it in `language`, with or without weekday and year. */
function renderDay(language: Language, day: Date): string {
  const [d, m, y, w] = [day.getUTCDate(), day.getUTCMonth(), day.getUTCFullYear(), day.getUTCDay()];
  const weekday = weekdays[language][w]!;
  if (language === 'ja') return pick([`${m + 1}月${d}日`, `${m + 1}月${d}日（${weekday}）`, `${y}年${m + 1}月${d}日`]);
  if (language === 'zh') return pick([`${m + 1}月${d}日`, `${y}年${m + 1}月${d}日`, `${m + 1}月${d}日（周${weekday}）`]);
  const month = monthNames[language]![m]!;
  const pad = (value: number) => String(value).padStart(2, '0');
  switch (language) {
    case 'en':
      return pick([`${weekday}, ${month} ${d}`, `${month} ${d}, ${y}`, `${d} ${month} ${y}`, `${month.slice(0, 3)} ${d}`]);
    case 'de':
      return pick([`${d}. ${month}`, `${pad(d)}.${pad(m + 1)}.${y}`, `${weekday}, ${d}. ${month} ${y}`]);
    case 'es':
    case 'pt':
      return pick([`${d} de ${month}`, `${weekday}, ${d} de ${month}`, `${d} de ${month} de ${y}`]);
    default:
      return pick([`${weekday} ${d} ${month}`, `${d} ${month} ${y}`, `${d} ${month}`]);
  }
}

function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * 86_400_000);
}
function nextBusinessDay(day: Date): Date {
  let next = addDays(day, 1);
  while (next.getUTCDay() === 0 || next.getUTCDay() === 6) next = addDays(next, 1);
  return next;
}
const isoDay = (day: Date) => day.toISOString().slice(0, 10);

const examples: DevExample[] = [];
const generatedSource = 'generated for this project from phrasings.ts (not real mail)';

function humanReply(label: HumanLabel, language: Language, template: string, family: string): void {
  const prospect = person(language);
  const colleague = person(language, prospect.company);
  const { sentAt, repliedAt } = stamp();
  const subject = fill(pick(pitchSubjects), { company: prospect.company });
  const own = fill(template, {
    first: prospect.first,
    company: prospect.company,
    vendor: pick(vendors),
    colleague: `${colleague.first} ${colleague.last}`,
    email: label === 'unsubscribe' ? prospect.email : colleague.email,
    when: pick(['Thursday', 'next week', 'tomorrow afternoon', 'Friday morning', 'on the 12th']),
  });
  const greeting = pick(greetings[language]);
  const body = [
    greeting,
    greeting ? '' : undefined,
    own,
    '',
    chance(0.8) ? signature(language, prospect) : undefined,
    '',
    quotedHistory(language, prospect, subject, sentAt),
  ]
    .filter((part) => part !== undefined)
    .join('\n')
    .trim();
  const colleagueReferral = /\{email\}/.test(template) && label === 'neutral';
  examples.push({
    subject: `${pick(['Re: ', 'RE: ', 'AW: ', 'Re: ', 'R: ', 'Antw: ', '回复：'])}${subject}`,
    body,
    from: `${prospect.first} ${prospect.last} <${prospect.email}>`,
    date: dateField(repliedAt),
    label,
    ...(colleagueReferral ? { expect: { referralEmail: colleague.email } } : {}),
    language,
    family,
    source: generatedSource,
  });
}

function outOfOffice(language: Language, phrasing: { text: string; means: 'back' | 'lastDayAway' }, family: string): void {
  const prospect = person(language);
  const colleague = person(language, prospect.company);
  const { sentAt, repliedAt } = stamp();
  let day = addDays(repliedAt, 3 + Math.floor(random() * 18));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = addDays(day, 1);
  const returnDate = phrasing.means === 'back' ? day : nextBusinessDay(day);
  const subject = fill(pick(pitchSubjects), { company: prospect.company });
  const text = fill(phrasing.text, { back: renderDay(language, day), colleague: `${colleague.first} ${colleague.last}`, email: colleague.email });
  const headers: Record<string, string> = {};
  const headerStyle = pick(['auto-submitted', 'exchange', 'none', 'none'] as const);
  if (headerStyle === 'auto-submitted') headers['Auto-Submitted'] = 'auto-replied';
  if (headerStyle === 'exchange') headers['X-Auto-Response-Suppress'] = 'All';
  const englishCopy =
    language !== 'en' && chance(0.3)
      ? `\n\n${fill(pick(oooPhrasings.en.filter((english) => english.means === phrasing.means)).text, { back: renderDay('en', day), colleague: `${colleague.first} ${colleague.last}`, email: colleague.email })}`
      : '';
  examples.push({
    subject: chance(0.8) ? fill(pick(autoReplySubjects[language]), { subject }) : `Re: ${subject}`,
    body: [text + englishCopy, '', `${prospect.first} ${prospect.last}`, chance(0.4) ? quotedHistory(language, prospect, subject, sentAt) : '']
      .join('\n')
      .trim(),
    from: `${prospect.first} ${prospect.last} <${prospect.email}>`,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    date: dateField(repliedAt),
    label: 'ooo',
    expect: { returnDate: isoDay(returnDate), ...(text.includes(colleague.email) ? { referralEmail: colleague.email } : {}) },
    language,
    family,
    source: generatedSource,
  });
}

function leftCompany(language: Language, template: string, family: string): void {
  const prospect = person(language);
  const colleague = person(language, prospect.company);
  const { repliedAt } = stamp();
  const text = fill(template, {
    first: prospect.first,
    company: prospect.company,
    colleague: `${colleague.first} ${colleague.last}`,
    email: colleague.email,
  });
  examples.push({
    subject: chance(0.5) ? fill(pick(autoReplySubjects[language]), { subject: 'Idea' }) : `Re: Idea for ${prospect.company}`,
    body: text,
    from: `${prospect.first} ${prospect.last} <${prospect.email}>`,
    date: dateField(repliedAt),
    label: 'ooo',
    expect: { leftCompany: true, ...(text.includes(colleague.email) ? { referralEmail: colleague.email } : {}) },
    language,
    family,
    source: generatedSource,
  });
}

interface Failure {
  status: string;
  smtp: string;
  reason: string;
  kind: 'hard' | 'soft';
}
const failures: Failure[] = [
  { status: '5.1.1', smtp: '550', reason: 'User unknown', kind: 'hard' },
  { status: '5.1.1', smtp: '550', reason: 'The email account that you tried to reach does not exist', kind: 'hard' },
  { status: '5.1.10', smtp: '550', reason: 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', kind: 'hard' },
  { status: '5.7.1', smtp: '554', reason: 'Relay access denied', kind: 'hard' },
  { status: '5.2.2', smtp: '552', reason: 'Mailbox full', kind: 'soft' },
  { status: '4.2.2', smtp: '452', reason: 'Over quota, try again later', kind: 'soft' },
  { status: '4.4.1', smtp: '451', reason: 'Connection timed out', kind: 'soft' },
  { status: '4.7.1', smtp: '450', reason: 'Greylisted, please try again later', kind: 'soft' },
];

/** Delivery-report layouts, written from how each mail server lays its reports out; hosts and addresses invented. */
const reportLayouts: Record<
  string,
  (recipient: string, failure: Failure, host: string) => { subject: string; from: string; body: string; headers?: Record<string, string> }
> = {
  postfix: (recipient, failure, host) => ({
    subject: failure.kind === 'soft' && failure.status.startsWith('4') ? 'Delayed Mail (still being retried)' : 'Undelivered Mail Returned to Sender',
    from: 'MAILER-DAEMON@mail.asep-demo.com (Mail Delivery System)',
    body: `This is the mail system at host mail.asep-demo.com.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<${recipient}>: host ${host}[198.51.100.7] said: ${failure.smtp} ${failure.status} ${failure.reason} (in reply to RCPT TO command)\n\n--\nReporting-MTA: dns; mail.asep-demo.com\nFinal-Recipient: rfc822; ${recipient}\nAction: ${failure.status.startsWith('4') ? 'delayed' : 'failed'}\nStatus: ${failure.status}\nDiagnostic-Code: smtp; ${failure.smtp} ${failure.status} ${failure.reason}`,
    headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="x"' },
  }),
  exchange: (recipient, failure) => ({
    subject: 'Undeliverable: Quick question',
    from: 'Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@asep-demo.com>',
    body: `Your message to ${recipient} couldn't be delivered.\n${failure.reason.split(';')[0]}\n\nDiagnostic information for administrators:\nGenerating server: AM0PR01MB1234.eurprd01.prod.outlook.com\n${recipient}\nRemote server returned '${failure.smtp} ${failure.status} ${failure.reason}'`,
  }),
  gmail: (recipient, failure) => ({
    subject: failure.status.startsWith('4') ? 'Delivery Status Notification (Delay)' : 'Delivery Status Notification (Failure)',
    from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    body: failure.status.startsWith('4')
      ? `There was a temporary problem delivering your message to ${recipient}. Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.\n\nThe response from the remote server was:\n${failure.smtp} ${failure.status} ${failure.reason}`
      : `Address not found\nYour message wasn't delivered to ${recipient} because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n${failure.smtp} ${failure.status} ${failure.reason}`,
  }),
  sendmail: (recipient, failure, host) => ({
    subject: 'Returned mail: see transcript for details',
    from: 'Mail Delivery Subsystem <MAILER-DAEMON@relay.asep-demo.com>',
    body: `The original message was received at Mon, 2 Dec 2024 10:00:00 GMT\nfrom localhost [127.0.0.1]\n\n   ----- The following addresses had permanent fatal errors -----\n<${recipient}>\n    (reason: ${failure.smtp} ${failure.status} ${failure.reason})\n\n   ----- Transcript of session follows -----\n... while talking to ${host}.:\n>>> RCPT To:<${recipient}>\n<<< ${failure.smtp} ${failure.status} ${failure.reason}\n${failure.smtp} ${failure.status} <${recipient}>... ${failure.reason}`,
  }),
  exim: (recipient, failure, host) => ({
    subject: 'Mail delivery failed: returning message to sender',
    from: 'Mail Delivery System <Mailer-Daemon@mx.asep-demo.com>',
    body: `This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  ${recipient}\n    host ${host} [203.0.113.5]\n    SMTP error from remote mail server after RCPT TO:<${recipient}>:\n    ${failure.smtp} ${failure.status} ${failure.reason}`,
    headers: { 'X-Failed-Recipients': recipient },
  }),
  qmail: (recipient, failure, host) => ({
    subject: 'failure notice',
    from: 'MAILER-DAEMON@mx.asep-demo.com',
    body: `Hi. This is the qmail-send program at mx.asep-demo.com.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<${recipient}>:\n${host} does not like recipient.\nRemote host said: ${failure.smtp} ${failure.status} ${failure.reason}\nGiving up on ${host}.`,
  }),
  yahoo: (recipient, failure) => ({
    subject: 'Failure Notice',
    from: 'MAILER-DAEMON@yahoo.com',
    body: `Sorry, we were unable to deliver your message to the following address.\n\n<${recipient}>:\nRemote host said: ${failure.smtp} ${failure.status} ${failure.reason} [RCPT_TO]`,
  }),
  ses: (recipient, failure) => ({
    subject: 'Delivery Status Notification (Failure)',
    from: 'MAILER-DAEMON@amazonses.com',
    body: `An error occurred while trying to deliver the mail to the following recipients:\n${recipient}\n\nReporting-MTA: dns; a8-30.smtp-out.amazonses.com\nFinal-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: ${failure.status}\nDiagnostic-Code: smtp; ${failure.smtp} ${failure.status} ${failure.reason}`,
    headers: { 'Content-Type': 'multipart/report; report-type=delivery-status' },
  }),
};

function bounce(layout: string, failure: Failure, family: string): void {
  const prospect = person(pick(['en', 'de', 'fr', 'nl'] as const));
  const { repliedAt, sentAt } = stamp();
  const host = `mx${Math.floor(random() * 9)}.${prospect.email.split('@')[1]}`;
  const report = reportLayouts[layout]!(prospect.email, failure, host);
  const subject = fill(pick(pitchSubjects), { company: prospect.company });
  const returned = chance(0.6)
    ? `\n\n------ This is a copy of the message, including all the headers. ------\nTo: ${prospect.email}\nSubject: ${subject}\n\n${pitch(prospect)}`
    : '';
  void sentAt;
  examples.push({
    subject: report.subject,
    body: report.body + returned,
    from: report.from,
    ...(report.headers ? { headers: report.headers } : {}),
    date: dateField(repliedAt),
    label: 'bounce',
    expect: { bounceKind: failure.kind },
    family,
    source: `${generatedSource}; layout modelled on ${layout} reports`,
  });
}

for (const [label, byLanguage] of Object.entries(humanReplies) as [HumanLabel, Partial<Record<Language, string[]>>][]) {
  for (const [language, templates] of Object.entries(byLanguage) as [Language, string[]][]) {
    templates.forEach((template, index) => {
      const fillings = language === 'en' ? 6 : 4;
      for (let i = 0; i < fillings; i += 1) humanReply(label, language, template, `${label}:${language}:${index}`);
    });
  }
}
for (const [language, phrasings] of Object.entries(oooPhrasings) as [Language, (typeof oooPhrasings)['en']][]) {
  phrasings.forEach((phrasing, index) => {
    for (let i = 0; i < 8; i += 1) outOfOffice(language, phrasing, `ooo:${language}:${index}`);
  });
}
for (const [language, templates] of Object.entries(leftCompanyPhrasings) as [Language, string[]][]) {
  templates.forEach((template, index) => {
    for (let i = 0; i < 4; i += 1) leftCompany(language, template, `left:${language}:${index}`);
  });
}
for (const layout of Object.keys(reportLayouts)) {
  failures.forEach((failure, index) => {
    for (let i = 0; i < 2; i += 1) bounce(layout, failure, `bounce:${layout}:${index}`);
  });
}

const target = fileURLToPath(new URL('../dev-set/generated.jsonl', import.meta.url));
writeFileSync(target, `${examples.map((example) => JSON.stringify(example)).join('\n')}\n`);
console.log(`${examples.length} generated examples → ${target}`);
