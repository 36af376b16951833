import { DomUtils, parseDocument } from 'htmlparser2';

/** Parts of a page that describe the site, not the company. */
const boilerplate = new Set(['script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'svg', 'iframe']);

const minLength = 30;
const maxLength = 300;

/**
 * Statements a company's page makes about itself: its meta description, then sentences of its body text (headings and
 * paragraphs outside navigation, header, footer and forms), in page order, without repeats, at most `limit`.
 */
export function pageStatements(html: string, limit = 5): string[] {
  const document = parseDocument(html, { decodeEntities: true });
  const meta = DomUtils.findAll(
    (element) => element.name === 'meta' && /^(?:description|og:description)$/i.test(element.attribs.name ?? element.attribs.property ?? ''),
    document.children,
  ).map((element) => element.attribs.content ?? '');
  const blocks = DomUtils.findAll(
    (element) => ['p', 'li', 'h1', 'h2', 'h3'].includes(element.name) && !insideBoilerplate(element),
    document.children,
  ).map((element) => DomUtils.textContent(element));
  const statements: string[] = [];
  for (const text of [...meta, ...blocks]) {
    for (const sentence of sentences(text)) {
      if (sentence.length < minLength || sentence.length > maxLength || statements.includes(sentence)) continue;
      statements.push(sentence);
      if (statements.length >= limit) return statements;
    }
  }
  return statements;
}

function insideBoilerplate(element: { parent: unknown }): boolean {
  for (let node = element.parent as { name?: string; parent: unknown } | null; node; node = node.parent as typeof node) {
    if (node.name && boilerplate.has(node.name)) return true;
  }
  return false;
}

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
