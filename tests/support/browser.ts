import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: browser tests never download a browser of their own. */
export const chromiumPath = '/usr/bin/chromium';

/** Flags that keep headless Chromium from reaching for the network on this offline machine. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
