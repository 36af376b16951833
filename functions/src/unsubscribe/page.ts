import { createHash } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';

/**
 * The pages a person sees after clicking an unsubscribe link: plain HTML with its one style sheet inline, no
 * script and nothing loaded from elsewhere, readable at any zoom and by a screen reader.
 */

const style = `
body { margin: 0; font: 1.125rem/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff; }
main { max-width: 34rem; margin: 4rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
button { font: inherit; font-weight: 600; color: #fff; background: #0f5ba7; border: 2px solid #0f5ba7; border-radius: 0.375rem; padding: 0.625rem 1.5rem; cursor: pointer; }
button:hover { background: #0b4680; }
button:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 3px; }
`;

/** Nothing but this page's own style sheet, and forms posting back to it. */
const contentSecurityPolicy = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(status: number, title: string, content: string): HttpResponseInit {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
${content}
</main>
</body>
</html>
`;
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-robots-tag': 'noindex',
    },
    body: html,
  };
}

/** Asks before unsubscribing: link checkers in mail gateways open links, and must not unsubscribe anyone. */
export function confirmationPage(): HttpResponseInit {
  return page(
    200,
    'Unsubscribe from these emails?',
    `<p>We will stop emailing this address. Nothing else is needed from you.</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(): HttpResponseInit {
  return page(200, 'You are unsubscribed', '<p role="status">We will not email this address again. You can close this page.</p>');
}

/** A link that was cut off, changed or made up: it unsubscribes nobody. */
export function invalidLinkPage(status: 400 | 404): HttpResponseInit {
  return page(
    status,
    'This unsubscribe link does not work',
    '<p>It may have been cut off or changed. Open the link exactly as it arrived in the email, or reply to the email with the word “unsubscribe”.</p>',
  );
}
