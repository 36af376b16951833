import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { launchChromium } from '../support/browser';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildConsole } from '../../bench/console-bundle';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';

export interface ConsoleHarness {
  suite: LocalSuite;
  browser: Browser;
  /** Opens the console tab in a fresh browser context, as the demo user with `role` (the default one without), on `pageId`. */
  open(options: { role?: string; pageId?: string }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the tab, starts the real local suite in this process (it serves the build at /console/) and launches Debian's chromium. */
export async function startConsoleHarness(): Promise<ConsoleHarness> {
  await buildConsole();
  const dataDir = await mkdtemp(join(tmpdir(), 'asep-console-'));
  // ASEP_CONSOLE_TEST_LOG=1 shows the suite's own log, to see why a request failed on the server side.
  const log = process.env.ASEP_CONSOLE_TEST_LOG ? (line: string) => console.error(line) : () => {};
  const suite = await startLocalSuite({ port: 0, dataDir, reset: true, seed: true, log });
  const browser = await launchChromium();
  return {
    suite,
    browser,
    async open({ role, pageId = '' }) {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      const query = role ? `?devRole=${encodeURIComponent(role)}` : '';
      await page.goto(`${suite.baseUrl}/console/${query}#/${pageId}`);
      await page.getByRole('navigation', { name: 'Console pages' }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await suite.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until nothing on the page is loading or moving any more (a dialog fading in has no final colours yet). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('.fui-Spinner') === null && document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}

/** The text of whatever describes a control (`aria-describedby`): Fluent puts a field's hint and validation message there. */
export async function descriptionOf(control: Locator): Promise<string> {
  const ids = (await control.getAttribute('aria-describedby')) ?? '';
  const page = control.page();
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).innerText()),
  );
  return texts.join(' ');
}

/**
 * axe-core's serious and critical findings on the page as it is now. Fluent's focus manager (tabster) puts
 * aria-hidden focus traps around arrow-key groups such as TabList; they hand focus on at once and are a
 * documented false positive of aria-hidden-focus (microsoft/fluentui#27517, microsoft/tabster#288).
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).exclude('[data-tabster-dummy]').analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}
