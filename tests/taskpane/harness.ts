import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { buildTaskpane } from '../../outlook-addin/scripts/buildTaskpane';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.css': 'text/css',
};

export interface TaskpaneHarness {
  browser: Browser;
  /** `http://127.0.0.1:<port>/addin/`, where the built pane is served, as the local suite does. */
  addinUrl: string;
  close(): Promise<void>;
}

/** Builds the pane, serves it on the loopback interface and starts headless Chromium. */
export async function startTaskpaneHarness(): Promise<TaskpaneHarness> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'asep-taskpane-'));
  await buildTaskpane(outDir);
  const server = await serveStatic(outDir, '/addin/');
  const browser = await launchChromium();
  const { port } = server.address() as AddressInfo;
  return {
    browser,
    addinUrl: `http://127.0.0.1:${port}/addin/`,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

function serveStatic(root: string, prefix: string): Promise<Server> {
  const server = createServer((request, response) => {
    // A malformed path (decodeURIComponent throws) answers 400 instead of an unhandled rejection.
    serveFile(root, prefix, request, response).catch(() => response.writeHead(400).end());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function serveFile(root: string, prefix: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  const file = path.join(root, pathname.slice(prefix.length));
  const inside = pathname.startsWith(prefix) && file.startsWith(root + path.sep);
  const found = inside && (await stat(file).catch(() => undefined))?.isFile();
  if (!found) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
}
