import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify';
import { replyClassificationSchema, type InboundMessage } from './schema';

const pitch = [
  'Hi Laura,',
  '',
  'Teams like yours use ASEP to cut prospecting time in half. Interested? Sounds great to book a demo,',
  "let's talk on Thursday - happy to send pricing and a calendar invite.",
  '',
  'Best, Sam',
  'Reply "unsubscribe" if you would rather not hear from me.',
].join('\n');

function reply(body: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return { subject: 'Re: Idea for Contoso', body, from: 'Laura Smith <laura.smith@contoso.com>', ...extra };
}

describe('classifyReply', () => {
  it('treats "please remove me" as an unsubscribe with high confidence', () => {
    const result = classifyReply(reply('Please remove me from your list.'));
    expect(result.label).toBe('unsubscribe');
    expect(result.confidence).toBeGreaterThanOrEqual(0.9);
    expect(result.evidence.excerpt).toContain('remove me');
  });

  it('recognises opt-outs in German, French and Spanish', () => {
    for (const body of ['Bitte entfernen Sie mich aus Ihrem Verteiler.', 'Merci de me désabonner.', 'Por favor, denme de baja.']) {
      expect(classifyReply(reply(body)).label, body).toBe('unsubscribe');
    }
  });

  it('does not let the quoted history of our own pitch make a reply positive', () => {
    const gmailQuote = `Who are you?\n\nOn Mon, Nov 25, 2024 at 9:00 AM Sam Rivera <sam@asep-demo.com> wrote:\n${pitch
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}`;
    const outlookQuote = `Not interested.\n\n________________________________\nFrom: Sam Rivera <sam@asep-demo.com>\nSent: Monday, November 25, 2024 9:00 AM\nTo: Laura\nSubject: Idea\n\n${pitch}`;
    expect(classifyReply(reply(gmailQuote)).label).toBe('neutral');
    expect(classifyReply(reply(outlookQuote)).label).toBe('objection');
  });

  it('does not read our unsubscribe footer in the quoted pitch as an opt-out', () => {
    const body = `Sure, send it over.\n\n-----Original Message-----\nFrom: Sam Rivera\n\n${pitch}`;
    expect(classifyReply(reply(body)).label).toBe('positive');
  });

  it('classifies short replies a person would write', () => {
    expect(classifyReply(reply('sure')).label).toBe('positive');
    expect(classifyReply(reply('not now')).label).toBe('objection');
    expect(classifyReply(reply('who are you?')).label).toBe('neutral');
  });

  it('labels an auto-reply by its headers, whatever their case, and extracts the return date', () => {
    const result = classifyReply(
      reply('I am away this week with limited access to email. Back on Monday.', {
        subject: 'Re: Idea for Contoso',
        headers: { 'AUTO-SUBMITTED': 'auto-replied' },
        date: '2024-11-27T09:00:00-05:00',
      }),
    );
    expect(result.label).toBe('ooo');
    expect(result.evidence.facts).toContain('Auto-Submitted: auto-replied header present');
    expect(result.ooo?.returnDate).toBe('2024-12-02');
  });

  it('labels a Japanese notice by its absence wording, without auto-reply headers, and reads its return date', () => {
    const result = classifyReply(
      reply('誠に勝手ながら、12月27日から1月5日まで冬季休業となります。1月6日以降、順次ご対応いたします。', {
        subject: 'Re: Idea for Contoso',
        date: '2025-12-26T10:00:00+09:00',
      }),
    );
    expect(result.label).toBe('ooo');
    expect(result.confidence).toBeGreaterThanOrEqual(0.85);
    expect(result.ooo?.returnDate).toBe('2026-01-06');
  });

  it("does not take a Japanese reply that mentions someone else's absence or wishes a good break for a notice", () => {
    for (const body of [
      'ご連絡ありがとうございます。ぜひお話を伺いたいです。来週火曜日以降でご都合いかがでしょうか。良いお休みをお過ごしください。',
      'ご不在中に失礼しました。資料を拝見しました。来月以降に改めてご相談させてください。',
      'お電話の際は不在にしており失礼しました。来週より検討を始めます。',
    ]) {
      expect(classifyReply(reply(body, { subject: 'Re: Idea for Contoso', date: '2026-06-08T09:00:00+09:00' })).label, body).not.toBe('ooo');
    }
  });

  it('labels a delivery status report as a bounce before reading the returned pitch', () => {
    const body = [
      "This is the mail system at host mail.asep-mailer.net.\n\nI'm sorry to have to inform you that your message could not",
      'be delivered to one or more recipients.\n',
      '<bob@contoso.com>: host mx.contoso.com[203.0.113.5] said: 550 5.1.1 <bob@contoso.com>: Recipient address',
      '    rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)\n',
      `--- Below this line is a copy of the message.\n\n${pitch}`,
    ].join('\n');
    const result = classifyReply({ subject: 'Undelivered Mail Returned to Sender', body, from: 'MAILER-DAEMON@asep-mailer.net' });
    expect(result.label).toBe('bounce');
    expect(result.bounce).toEqual({ kind: 'hard', status: '5.1.1', recipient: 'bob@contoso.com' });
  });

  it('treats a spam complaint (ARF feedback report) as an opt-out', () => {
    const result = classifyReply({
      subject: 'Abuse report',
      body: 'This is an email abuse report.\n\nFeedback-Type: abuse\nUser-Agent: ExampleFBL/1.0',
      from: 'fbl@mail-provider.example',
      headers: { 'Content-Type': 'multipart/report; report-type=feedback-report; boundary="x"' },
    });
    expect(result.label).toBe('unsubscribe');
  });

  it('reads HTML-only replies without the quoted container', () => {
    const body =
      '<html><head><style>p{color:red}</style></head><body><p>Yes, let&#39;s talk Thursday&nbsp;at 3pm.</p>' +
      `<div class="gmail_quote"><blockquote>${pitch.replace(/\n/g, '<br>')}</blockquote></div></body></html>`;
    const result = classifyReply(reply(body));
    expect(result.label).toBe('positive');
    expect(result.evidence.excerpt).toBe("Yes, let's talk Thursday at 3pm.");
  });

  it('classifies a 5 MB body without throwing and says it truncated', () => {
    const body = 'We would like a demo of your product next week. '.repeat(110_000);
    expect(body.length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const result = classifyReply(reply(body));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.label).toBe('positive');
    expect(result.evidence.trace.some((step) => step.step === 'truncate')).toBe(true);
  });

  it('gives empty and malformed messages a low-confidence best effort with the reason in the trace', () => {
    const empty = classifyReply(reply(''));
    expect(empty.label).toBe('neutral');
    expect(empty.confidence).toBeLessThanOrEqual(0.2);
    expect(empty.evidence.trace.some((step) => step.step === 'low-confidence')).toBe(true);

    const malformed = classifyReply({ subject: 42, body: ['x'], from: null, headers: 'oops' } as unknown as InboundMessage);
    expect(malformed.confidence).toBeLessThanOrEqual(0.2);
    const details = malformed.evidence.trace.map((step) => step.detail);
    expect(details).toContain('subject is not a string; treated as empty');
    expect(details).toContain('headers are not an object; ignored');
  });

  it('repairs mis-decoded UTF-8 and quoted-printable bodies before reading them', () => {
    const mojibake = classifyReply(reply('Bitte entfernen Sie mich aus Ihrem Verteiler. Danke und GrÃ¼ÃŸe'));
    expect(mojibake.label).toBe('unsubscribe');
    expect(mojibake.evidence.trace.some((step) => step.step === 'decode')).toBe(true);
    const quotedPrintable = classifyReply(reply('Wir sind interessiert, k=C3=B6nnen wir n=C3=A4chste Woche =\ntelefonieren?'));
    expect(quotedPrintable.evidence.excerpt).toContain('können wir nächste Woche telefonieren?');
  });

  it('returns output that satisfies its own schema, deterministically', () => {
    const message = reply(`Thanks, I'll take a look. ${'Long text. '.repeat(100)}`);
    const first = classifyReply(message);
    expect(replyClassificationSchema.parse(first)).toEqual(first);
    expect(classifyReply(message)).toEqual(first);
  });
});
