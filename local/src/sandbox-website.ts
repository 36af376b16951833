import type { Fetch } from '@asep/functions/research/website-fetcher';

export interface SandboxSite {
  /** Path → HTML. */
  pages: Record<string, string>;
  /** The site's robots.txt; absent answers 404, as most sites do. */
  robots?: string;
}

/**
 * The local stand-in for the public web: company sites published here (seeded for the demo, or by a test through the
 * dev route) answer the research fetcher's requests in process; any other host fails to resolve, as offline.
 */
export class SandboxWebsite {
  private readonly sites = new Map<string, SandboxSite>();

  publish(domain: string, site: SandboxSite): void {
    this.sites.set(domain.toLowerCase().replace(/^www\./, ''), site);
  }

  readonly fetch: Fetch = async (url, init) => {
    if (init.signal.aborted) throw init.signal.reason;
    const target = new URL(url);
    const site = this.sites.get(target.hostname.replace(/^www\./, ''));
    if (!site) throw new TypeError(`getaddrinfo ENOTFOUND ${target.hostname}`);
    if (target.pathname === '/robots.txt') {
      return site.robots === undefined
        ? new Response('Not found', { status: 404 })
        : new Response(site.robots, { headers: { 'content-type': 'text/plain' } });
    }
    const html = site.pages[target.pathname];
    if (html === undefined) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/html' } });
    return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
}
