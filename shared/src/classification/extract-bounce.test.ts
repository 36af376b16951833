import { describe, expect, it } from 'vitest';
import { detectDeliveryReport } from './detect-bounce';
import { extractBounce } from './extract-bounce';
import { readHeaders } from './headers';

const noHeaders = readHeaders(undefined).headers;
const pitch = 'Hi Bob,\n\nTeams like yours use ASEP to help every rep exceed quota. Temporarily free trial.\n\nSam';

const dsn = (status: string, diagnostic: string) =>
  [
    'This is a MIME-encapsulated message.',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.asep-mailer.net',
    '',
    'Final-Recipient: rfc822; bob@contoso.com',
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B',
    'Content-Type: message/rfc822',
    '',
    'To: bob@contoso.com',
    pitch,
  ].join('\n');

describe('extractBounce', () => {
  it('reads a 550 5.1.1 delivery status report as a hard bounce with its status and recipient', () => {
    expect(
      extractBounce(
        dsn('5.1.1', '550 5.1.1 <bob@contoso.com>: Recipient address rejected: User unknown'),
        noHeaders,
        'MAILER-DAEMON@asep-mailer.net',
      ),
    ).toMatchObject({
      kind: 'hard',
      status: '5.1.1',
      recipient: 'bob@contoso.com',
    });
  });

  it('treats a full mailbox as soft even under a 5.x.x status', () => {
    expect(extractBounce(dsn('5.2.2', '552 5.2.2 Mailbox full'), noHeaders, '')).toMatchObject({ kind: 'soft', status: '5.2.2' });
  });

  it('treats 4.x.x transient failures as soft', () => {
    expect(extractBounce(dsn('4.4.1', '421 4.4.1 Connection timed out'), noHeaders, '')).toMatchObject({
      kind: 'soft',
      status: '4.4.1',
    });
  });

  it('does not read "quota" or "temporarily" in our returned pitch as the failure reason', () => {
    expect(extractBounce(dsn('5.1.1', '550 5.1.1 No such user'), noHeaders, '').kind).toBe('hard');
  });

  it('takes the recipient from X-Failed-Recipients and the status from an Exim report', () => {
    const body = [
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  anna@fabrikam.de',
      '    host mx.fabrikam.de [198.51.100.7]',
      '    SMTP error from remote mail server after RCPT TO:<anna@fabrikam.de>:',
      '    550 5.1.1 Mailbox does not exist',
    ].join('\n');
    const { headers } = readHeaders({ 'x-failed-recipients': 'anna@fabrikam.de' });
    expect(extractBounce(body, headers, 'Mailer-Daemon@mx1.asep-mailer.net')).toMatchObject({
      kind: 'hard',
      status: '5.1.1',
      recipient: 'anna@fabrikam.de',
    });
  });

  it('reads qmail reports, where the status sits in parentheses after a hash', () => {
    const body =
      "Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<lea@wingtip.fr>:\nRemote host said: 550 sorry, no mailbox here by that name (#5.1.1)\n";
    expect(extractBounce(body, noHeaders, '')).toMatchObject({ kind: 'hard', status: '5.1.1', recipient: 'lea@wingtip.fr' });
  });

  it('reads localized Exchange reports', () => {
    const german =
      "Die Nachricht konnte nicht an folgende Empfänger zugestellt werden:\n\njonas@contoso.de\nDas Postfach des Empfängers ist voll.\n\nRemote Server returned '552 5.2.2 Mailbox full'";
    expect(extractBounce(german, noHeaders, 'postmaster@contoso.de')).toMatchObject({
      kind: 'soft',
      status: '5.2.2',
      recipient: 'jonas@contoso.de',
    });
  });
});

describe('detectDeliveryReport', () => {
  it('recognises reports by content type, sender, subject or server wording', () => {
    const { headers } = readHeaders({ 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="B"' });
    expect(
      detectDeliveryReport({
        subject: 'Returned mail',
        from: 'MAILER-DAEMON@x.net',
        headers,
        fullText: dsn('5.1.1', '550 5.1.1 User unknown'),
      }),
    ).toBeDefined();
    expect(
      detectDeliveryReport({
        subject: 'Delivery Status Notification (Failure)',
        from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        headers: noHeaders,
        fullText: "Address not found\n\nYour message wasn't delivered to bob@contoso.com because the address couldn't be found.",
      }),
    ).toBeDefined();
  });

  it('does not take a person mentioning a bounced email for a report', () => {
    expect(
      detectDeliveryReport({
        subject: 'Re: Idea',
        from: 'Bob <bob@contoso.com>',
        headers: noHeaders,
        fullText: 'Your last email bounced from my old address, use this one.',
      }),
    ).toBeUndefined();
  });

  it('ignores reports that only confirm delivery', () => {
    const delivered = dsn('2.0.0', '250 2.0.0 OK').replace('Action: failed', 'Action: delivered');
    expect(
      detectDeliveryReport({
        subject: 'Delivery Status Notification (Success)',
        from: 'postmaster@x.net',
        headers: noHeaders,
        fullText: delivered,
      }),
    ).toBeUndefined();
  });
});
