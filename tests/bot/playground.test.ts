import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTenant } from '../../local/src/seed';
import { type LocalSuite, startLocalSuite } from '../../local/src/start';
import { call, eventually, signIn, sleep } from '../support/suite';
import { sendAtAnyHour } from '../support/governed-loop';

/*
 * The real bot on the local suite, used the way a person tries it by hand: the Microsoft 365 Agents Playground
 * (`npx agentsplayground`, a Teams-like web client) pointed at /api/messages, in headless Debian chromium.
 * The Playground talks as its built-in user, whom the local suite treats as the demo tenant's Manager.
 */

const repoRoot = resolve(__dirname, '../..');
const playgroundCli = join(repoRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const missing = [chromiumPath, playgroundCli].filter((path) => !existsSync(path));
if (missing.length > 0)
  console.warn(`Skipping the Agents Playground test: ${missing.join(' and ')} not found (install Debian chromium; run npm ci).`);

interface Playground {
  url: string;
  stop(): Promise<void>;
}

/** Starts the Playground CLI on a free port, in a folder of its own so no `.m365agentsplayground.yml` changes who it talks as. */
async function startPlayground(botEndpoint: string, folder: string): Promise<Playground> {
  const child: ChildProcess = spawn(process.execPath, [playgroundCli, '-e', botEndpoint, '-c', 'msteams', '--disable-telemetry', '-p', '0'], {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const port = await new Promise<string>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`The Playground did not start within 30 s:\n${output}`)), 30_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on (\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolvePort(listening[1]!);
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    void exited.then(() => reject(new Error(`The Playground exited before it was ready:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe.skipIf(missing.length > 0)("the managers' bot in the Microsoft 365 Agents Playground", () => {
  let folder: string;
  let suite: LocalSuite;
  let playground: Playground;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'asep-playground-'));
    suite = await startLocalSuite({ port: 0, dataDir: join(folder, 'data'), reset: true, seed: true, log: () => undefined });
    playground = await startPlayground(`${suite.baseUrl}/api/messages`, folder);
    browser = await chromium.launchPersistentContext(join(folder, 'chromium'), {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1400, height: 1000 },
    });
    // Loopback only: the Playground's page would otherwise try to fetch fonts from a CDN.
    await browser.route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
      (route) => route.abort(),
    );
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await suite?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const cards = () => page.locator('.ac-adaptiveCard');
  const approvalCards = () => cards().filter({ hasText: 'Approval needed: First email to a new prospect' });

  async function say(text: string): Promise<void> {
    const composer = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await composer.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  async function managerToken(): Promise<string> {
    const manager = demoTenant.users.find((user) => (user.roles as readonly string[]).includes('Manager'))!;
    const { body } = await call<{ access_token: string }>(suite.baseUrl, 'POST', 'dev/token', {
      json: { tenantId: demoTenant.tenantId, userId: manager.userId, name: manager.name, roles: ['Manager'] },
    });
    return body.access_token;
  }

  async function outboxTo(email: string): Promise<unknown[]> {
    const query = new URLSearchParams({ tenantId: demoTenant.tenantId, to: email });
    return (await call<unknown[]>(suite.baseUrl, 'GET', `dev/mailbox/outbox?${query}`)).body;
  }

  it('welcomes the Manager, brings approvals on its own, lists them for "pending", and approves from a card', async () => {
    await page.goto(playground.url);
    await expect.poll(() => cards().filter({ hasText: 'What I can do' }).count(), { timeout: 20_000 }).toBe(1);

    await sendAtAnyHour(suite.baseUrl, await signIn(suite.baseUrl, demoTenant.tenantId, ['Admin']));
    const started = await call(suite.baseUrl, 'POST', `v1/campaigns/${demoTenant.campaignId}/start`, { token: await managerToken(), json: {} });
    expect(started.status).toBe(202);
    const pending = await eventually(async () => {
      const { body } = await call<{ id: string }[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: await managerToken() });
      return body.length >= 4 ? body : undefined;
    }, 'the approvals of the demo campaign');
    // The bot posts each new approval to the Manager's chat without being asked.
    await expect.poll(() => approvalCards().count(), { timeout: 20_000 }).toBe(pending.length);

    await say('pending');
    await expect.poll(() => page.getByText(`${pending.length} approvals are waiting for a decision`).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => approvalCards().count(), { timeout: 20_000 }).toBe(2 * pending.length);

    const card: Locator = approvalCards().last();
    const prospect = /To: .*<([^>]+)>/.exec(await card.innerText())![1]!;
    await card.locator('button', { hasText: 'Approve' }).click();

    const decided = cards().filter({ hasText: 'By: Max Manager' });
    await expect.poll(() => decided.filter({ hasText: `<${prospect}>` }).count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await decided.first().innerText()).toMatch(/^Approved/);
    // The copy the bot posted on its own is replaced with the outcome too: no Approve button is left for that prospect.
    await expect
      .poll(
        () =>
          cards()
            .filter({ hasText: `<${prospect}>` })
            .locator('button', { hasText: 'Approve' })
            .count(),
        { timeout: 20_000 },
      )
      .toBe(0);

    await eventually(async () => ((await outboxTo(prospect)).length > 0 ? true : undefined), `the email to ${prospect}`);
    await sleep(1_000);
    expect(await outboxTo(prospect)).toHaveLength(1);
  });
});
