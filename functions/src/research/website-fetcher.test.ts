import { describe, expect, it } from 'vitest';
import { pageStatements } from './page-facts';
import { WebsiteFetcher, allowedHosts, type Fetch } from './website-fetcher';

type Route = (url: URL) => Response | Promise<Response>;

/** A fetch answering from routes by URL, recording what was asked. */
function siteFetch(routes: Record<string, Route>) {
  const asked: string[] = [];
  const fetch: Fetch = async (url, init) => {
    asked.push(url);
    const route = routes[url];
    if (!route) throw new TypeError(`getaddrinfo ENOTFOUND ${new URL(url).hostname}`);
    return Promise.race([
      route(new URL(url)),
      new Promise<never>((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))),
    ]);
  };
  return { fetch, asked };
}

const html = (body: string) =>
  new Response(
    `<html><head><meta name="description" content="Litware builds packaging lines for food producers."></head><body>${body}</body></html>`,
    { headers: { 'content-type': 'text/html' } },
  );

describe('reading a prospect company’s site', () => {
  it('reads the home page when robots.txt allows it, and skips a path robots.txt disallows without requesting it', async () => {
    const { fetch, asked } = siteFetch({
      'https://litware.example/robots.txt': () => new Response('User-agent: *\nDisallow: /private', { headers: { 'content-type': 'text/plain' } }),
      'https://litware.example/': () => html('<p>We opened 3 new plants in northern Italy in 2026.</p>'),
    });
    const fetcher = new WebsiteFetcher({ fetch });

    const home = await fetcher.fetchPage('litware.example', '/');
    const hidden = await fetcher.fetchPage('litware.example', '/private/plans');

    expect(home).toMatchObject({ status: 'fetched', url: 'https://litware.example/' });
    expect(hidden).toEqual({
      status: 'skipped',
      url: 'https://litware.example/private/plans',
      reason: 'robots.txt of litware.example does not allow it',
    });
    expect(asked).toEqual(['https://litware.example/robots.txt', 'https://litware.example/']);
  });

  it('reads nothing from a site whose robots.txt cannot be read (5xx)', async () => {
    const { fetch, asked } = siteFetch({ 'https://litware.example/robots.txt': () => new Response('busy', { status: 503 }) });

    expect(await new WebsiteFetcher({ fetch }).fetchPage('litware.example')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('robots.txt'),
    });
    expect(asked).toEqual(['https://litware.example/robots.txt']);
  });

  it('follows a redirect to the www. host but never off the company’s own site', async () => {
    const redirect = (location: string) => () => new Response(null, { status: 301, headers: { location } });
    const { fetch, asked } = siteFetch({
      'https://litware.example/robots.txt': () => new Response('', { status: 404 }),
      'https://www.litware.example/robots.txt': () => new Response('', { status: 404 }),
      'https://litware.example/': redirect('https://www.litware.example/'),
      'https://www.litware.example/': redirect('http://169.254.169.254/latest/meta-data'),
    });

    const page = await new WebsiteFetcher({ fetch }).fetchPage('litware.example');

    expect(page).toEqual({
      status: 'skipped',
      url: 'http://169.254.169.254/latest/meta-data',
      reason: "http://169.254.169.254 is outside the company's own site",
    });
    expect(asked).not.toContain('http://169.254.169.254/latest/meta-data');
  });

  it('stops reading at the size limit and gives up on a site that does not answer in time', async () => {
    const { fetch } = siteFetch({
      'https://big.example/robots.txt': () => new Response('', { status: 404 }),
      'https://big.example/': () => html(`<p>${'x'.repeat(200_000)}</p>`),
      'https://slow.example/robots.txt': () => new Response('', { status: 404 }),
      'https://slow.example/': () => new Promise<Response>(() => {}),
    });
    const fetcher = new WebsiteFetcher({ fetch, maxBytes: 10_000, timeoutMs: 200 });

    const big = await fetcher.fetchPage('big.example');
    const slow = await fetcher.fetchPage('slow.example');

    expect(big).toMatchObject({ status: 'fetched', truncated: true });
    expect(big.status === 'fetched' && Buffer.byteLength(big.html)).toBe(10_000);
    expect(slow).toEqual({ status: 'skipped', url: 'https://slow.example/', reason: 'no answer within 200 ms' });
  });

  it('refuses names that are not public company domains', () => {
    expect(allowedHosts('Litware.example')).toEqual(['litware.example', 'www.litware.example']);
    for (const domain of ['localhost', '10.0.0.8', 'intranet.corp', 'printer.local', 'metadata.internal', ''])
      expect(allowedHosts(domain)).toEqual([]);
  });
});

describe('statements of a page', () => {
  it('takes the meta description and body sentences, not navigation, footer or scripts', () => {
    const page = `<html><head><meta name="description" content="Litware builds packaging lines for food producers."><script>var tracking = "Do not read this sentence as a fact.";</script></head>
      <body><nav><li>Home of the best packaging software ever</li></nav><main><h1>Packaging lines</h1>
      <p>Litware opened 3 new plants in northern Italy in 2026. It now employs 1,200 people across Europe.</p></main>
      <footer><p>Copyright Litware S.p.A. All rights reserved worldwide.</p></footer></body></html>`;

    expect(pageStatements(page)).toEqual([
      'Litware builds packaging lines for food producers.',
      'Litware opened 3 new plants in northern Italy in 2026.',
      'It now employs 1,200 people across Europe.',
    ]);
  });
});
