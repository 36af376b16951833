import { isIP } from 'node:net';
import robotsParser from 'robots-parser';

/** The fetch the fetcher uses: the platform's in Azure, the sandbox site's locally. */
export type Fetch = (url: string, init: { signal: AbortSignal; redirect: 'manual'; headers: Record<string, string> }) => Promise<Response>;

export interface WebsiteFetcherOptions {
  fetch: Fetch;
  /** Bytes read of one response at most; the rest is never downloaded. */
  maxBytes?: number;
  /** Milliseconds one request may take, headers and body together. */
  timeoutMs?: number;
  /** Redirects followed, each of them inside the allow-list. */
  maxRedirects?: number;
  /** How long a site's robots.txt is trusted before it is read again. */
  robotsTtlMs?: number;
  now?: () => number;
}

export type PageFetch = { status: 'fetched'; url: string; html: string; truncated: boolean } | { status: 'skipped'; url: string; reason: string };

/** How ASEP names itself to sites, and the token their robots.txt rules address. */
export const researchUserAgent = 'ASEP-Research/1.0 (+https://aka.ms/asep-research)';
const robotsToken = 'ASEP-Research';

/**
 * Reads a prospect company's public pages, and nothing else: https only, on the company's own domain (or its www.
 * host), never an IP literal or an internal name, redirects only within the same allow-list, robots.txt honoured (a
 * site whose robots.txt fails to answer is not read), HTML only, each response bounded in size and time.
 */
export class WebsiteFetcher {
  private readonly robots = new Map<string, { robot: ReturnType<typeof robotsParser> | 'unreachable'; readAt: number }>();
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly robotsTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WebsiteFetcherOptions) {
    this.maxBytes = options.maxBytes ?? 512 * 1024;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.robotsTtlMs = options.robotsTtlMs ?? 6 * 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /** Fetches `path` on the company's site at `domain`. */
  async fetchPage(domain: string, path = '/'): Promise<PageFetch> {
    const allowed = allowedHosts(domain);
    const pagePath = path.startsWith('/') ? path : `/${path}`;
    if (allowed.length === 0) return { status: 'skipped', url: `https://${domain}${pagePath}`, reason: `${domain} is not a public company domain` };
    let url = `https://${allowed[0]}${pagePath}`;
    for (let hop = 0; hop <= this.maxRedirects; hop += 1) {
      const target = new URL(url);
      if (target.protocol !== 'https:' || !allowed.includes(target.hostname) || target.port !== '') {
        return { status: 'skipped', url, reason: `${target.origin} is outside the company's own site` };
      }
      if (!(await this.robotsAllow(target))) return { status: 'skipped', url, reason: `robots.txt of ${target.hostname} does not allow it` };
      let response: Response;
      try {
        response = await this.request(url);
      } catch (error) {
        return { status: 'skipped', url, reason: describeFailure(error, this.timeoutMs) };
      }
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        await response.body?.cancel();
        url = new URL(response.headers.get('location')!, url).toString();
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { status: 'skipped', url, reason: `the site answered ${response.status}` };
      }
      if (!/^text\/html\b|^application\/xhtml\+xml\b/i.test(response.headers.get('content-type') ?? '')) {
        await response.body?.cancel();
        return { status: 'skipped', url, reason: `not an HTML page (${response.headers.get('content-type') ?? 'no content type'})` };
      }
      try {
        const { text, truncated } = await readBounded(response, this.maxBytes);
        return { status: 'fetched', url, html: text, truncated };
      } catch (error) {
        return { status: 'skipped', url, reason: describeFailure(error, this.timeoutMs) };
      }
    }
    return { status: 'skipped', url, reason: `more than ${this.maxRedirects} redirects` };
  }

  private async robotsAllow(target: URL): Promise<boolean> {
    const cached = this.robots.get(target.origin);
    let robot = cached && this.now() - cached.readAt < this.robotsTtlMs ? cached.robot : undefined;
    if (!robot) {
      robot = await this.readRobots(target.origin);
      this.robots.set(target.origin, { robot, readAt: this.now() });
    }
    return robot !== 'unreachable' && robot.isAllowed(target.toString(), robotsToken) !== false;
  }

  /** RFC 9309: a missing robots.txt (4xx) allows everything; one that cannot be read (5xx, timeout) allows nothing. */
  private async readRobots(origin: string): Promise<ReturnType<typeof robotsParser> | 'unreachable'> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await this.request(robotsUrl);
      if (response.status >= 400 && response.status < 500) {
        await response.body?.cancel();
        return robotsParser(robotsUrl, '');
      }
      if (!response.ok) {
        await response.body?.cancel();
        return 'unreachable';
      }
      return robotsParser(robotsUrl, (await readBounded(response, this.maxBytes)).text);
    } catch {
      return 'unreachable';
    }
  }

  private request(url: string): Promise<Response> {
    return this.options.fetch(url, {
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: 'manual',
      headers: { 'user-agent': researchUserAgent, accept: 'text/html,application/xhtml+xml' },
    });
  }
}

/** The hosts a company's site may be read on: its domain and the www. host, if the domain is a public DNS name. */
export function allowedHosts(domain: string): string[] {
  const host = domain
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
  const publicName = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host);
  if (!publicName || isIP(host) !== 0 || /\.(?:local|localhost|internal|intranet|lan|home|corp|arpa)$/.test(host)) return [];
  return [host, `www.${host}`];
}

async function readBounded(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  return `the site could not be reached (${error instanceof Error ? error.message.slice(0, 120) : String(error)})`;
}
