const namedEntities: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  laquo: '«',
  raquo: '»',
  euro: '€',
  copy: '©',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  acirc: 'â',
  ccedil: 'ç',
  ocirc: 'ô',
  ucirc: 'û',
  icirc: 'î',
  iuml: 'ï',
  Eacute: 'É',
  aacute: 'á',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ntilde: 'ñ',
  Ntilde: 'Ñ',
  iexcl: '¡',
  iquest: '¿',
};

/** Mail clients that start a reply's quoted history with one of these containers. */
const quotedHistoryOpeners =
  /<blockquote\b|<div[^>]*\b(?:class="[^"]*gmail_quote|id="(?:divRplyFwdMsg|appendonsend)"|class="[^"]*(?:moz-cite-prefix|yahoo_quoted))/i;

export function looksLikeHtml(text: string): boolean {
  return /<(?:html|body|div|p|br|table|span|font)\b[^>]*>/i.test(text.slice(0, 4000));
}

/** The part of an HTML reply before the client's quoted-history container. */
export function cutHtmlAtQuotedHistory(html: string): string {
  const match = quotedHistoryOpeners.exec(html);
  return match ? html.slice(0, match.index) : html;
}

function decodeEntity(entity: string, name: string): string {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return namedEntities[name] ?? entity;
}

/**
 * Plain text of an HTML body. Every pattern here is linear (no nested quantifiers),
 * so multi-megabyte bodies cannot stall triage.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(?:br|\/p|\/div|\/li|\/tr|\/h[1-6]|hr|\/blockquote|\/table)\b[^>]*>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&(#x?[0-9a-f]{1,6}|[a-z]{2,8});/gi, decodeEntity)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
