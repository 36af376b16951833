import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'shared/src/classification/cli.ts');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

function runCli(argument: string, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(tsx, [cli, argument], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

function parseOutput(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const lines = [
  JSON.stringify({ subject: 'Re: Idea', body: 'Please remove me from your list.', from: 'a@contoso.com' }),
  'this is not json',
  JSON.stringify({
    subject: 'Automatische Antwort: Idee',
    body: 'Ich bin bis 03.12.2024 nicht im Büro. In dringenden Fällen wenden Sie sich bitte an Anna Schmidt unter anna.schmidt@firma.de.',
    from: 'klaus@firma.de',
    headers: { 'auto-submitted': 'auto-replied' },
    date: '2024-11-27T09:00:00+01:00',
  }),
  JSON.stringify({ subject: 1, body: 'x', from: 'a@b.c' }),
  JSON.stringify({
    subject: 'Undelivered Mail Returned to Sender',
    body: 'This is the mail system at host x.\n\n<bob@acme.com>: host mx.acme.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)',
    from: 'MAILER-DAEMON@x.net',
  }),
];

describe('npm run classify', () => {
  it('writes one result per line, reports bad lines and carries on', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'classify-')), 'replies.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { code, stdout } = await runCli(file);
    expect(code).toBe(0);
    const results = parseOutput(stdout);
    expect(results).toHaveLength(5);
    expect(results[0]).toMatchObject({ label: 'unsubscribe' });
    expect(results[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^line 2: not valid JSON/) });
    expect(results[2]).toMatchObject({
      label: 'ooo',
      returnDate: '2024-12-03',
      referral: { name: 'Anna Schmidt', email: 'anna.schmidt@firma.de' },
    });
    expect(results[3]?.error).toMatch(/^line 4: subject: /);
    expect(results[4]).toMatchObject({ label: 'bounce', bounceKind: 'hard', bounceStatus: '5.1.1' });
  });

  it('reads exported mail as it comes: RFC 5322 and null dates, HTML-only bodies, repeated headers, Latin-1 lines', async () => {
    const exported = [
      { subject: 'Re: Idea', body: 'Please remove me from your list.', from: 'a@contoso.com', date: 'Wed, 6 Dec 2000 04:41:00 -0800 (PST)' },
      { subject: null, body: null, html: '<html><body><p>Please unsubscribe me.</p></body></html>', from: 'b@contoso.com', date: null },
      { subject: 'Re: Idea', body: 'Unsubscribe', from: 'c@contoso.com', headers: { Received: ['from a', 'from b'], 'X-Empty': null } },
      { subject: 'Re: Idea', body: 'Unsubscribe', from: 'd@contoso.com', date: '12/06/2000 4:41 AM' },
      {
        subject: 'Abwesenheitsnotiz',
        body: 'Ich bin bis Freitag nicht im Büro und habe keinen Zugriff auf meine E-Mails.',
        from: 'e@firma.de',
        headers: { 'Auto-Submitted': 'auto-replied' },
        date: 'Mon, 2 Dec 2024 08:00:00 +0100',
      },
    ];
    const latin1Line = Buffer.from(JSON.stringify({ subject: 'Re: Angebot', body: 'Bitte austragen. Grüße', from: 'f@firma.de' }), 'latin1');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'classify-')), 'exported.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from(exported.map((line) => JSON.stringify(line)).join('\r\n') + '\n'), latin1Line]));
    const { code, stdout } = await runCli(file);
    expect(code).toBe(0);
    const results = parseOutput(stdout);
    expect(results.map((result) => result.label)).toEqual(['unsubscribe', 'unsubscribe', 'unsubscribe', 'unsubscribe', 'ooo', 'unsubscribe']);
    // "bis Freitag" resolves against the RFC 5322 date: the Friday of that week.
    expect(results[4]).toMatchObject({ returnDate: '2024-12-06' });
  });

  it('reads standard input when given "-"', async () => {
    const { code, stdout } = await runCli('-', `${lines[0]}\n`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ label: 'unsubscribe' });
  });

  it('fails with a message when the file cannot be read', async () => {
    const { code, stderr } = await runCli('/nonexistent/replies.jsonl');
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read \/nonexistent\/replies\.jsonl/);
  });
});
