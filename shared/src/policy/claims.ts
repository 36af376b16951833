/**
 * Claims an email makes that a reader could hold the sender to: figures (percentages, multiples, amounts of
 * money, quantities of two digits or more) and superlatives. Times, dates, years, phone numbers and single
 * digits ("3 ideas", "at 10:30", "in 2025", "a 15-minute call") are ordinary prose, not claims.
 */
const figure = new RegExp(
  [
    /\d+(?:[.,]\d+)?\s?(?:%|percent\b)/.source,
    /(?<![\w.])\d+(?:\.\d+)?\s?[x×](?!\w)/.source,
    /[$€£]\s?\d+(?:[.,]\d+)*(?:\s?(?:k|m|bn|million|billion)\b)?/.source,
    /(?<![\w:/.,-])\d{1,3}(?:,\d{3})+(?![\w:/-]|[.,]\d)/.source,
    /(?<![\w:/.,-])\d{2,}(?:\.\d+)?(?![\w:/-]|[.,]\d|\s?(?:am|pm)\b)/.source,
  ].join('|'),
  'g',
);

/** Superlatives, minus the sign-offs that merely look like one ("Best regards", "All the best"). */
const superlative =
  /\b(?:(?<!all the )best(?!\s+(?:regards|wishes)|,?[ \t]*(?:\n|$))|fastest|cheapest|largest|biggest|lowest|highest|greatest|the leading|industry-leading|market-leading|top-rated|unbeatable|unmatched|unrivall?ed|world-class|most trusted|most popular|number one|no\. 1)\b|#1\b/g;

/** Digit runs that are phone numbers or dates, masked before claims are looked for. */
const phoneOrDate = /\+?\(?\d[\d ().-]{5,}\d|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/g;

const year = /^(?:19|20)\d\d$/;

/** Lower case, and one spelling per figure: "30 %" and "30%" are the same claim. */
function normalise(text: string): string {
  const lower = text.toLowerCase();
  return /\s[\s%x×]/.test(lower) ? lower.replace(/\s+(?=[%x×])/g, '').replace(/\s+/g, ' ') : lower;
}

/** Every claim in `text` (figures, then superlatives), without repeats. The patterns read lower-cased text. */
export function findClaims(text: string): string[] {
  const lower = text.toLowerCase();
  const claims: string[] = [];
  const add = (match: string) => {
    const claim = normalise(match);
    if (!claims.includes(claim)) claims.push(claim);
  };
  if (/\d/.test(lower)) {
    const masked = lower.replace(phoneOrDate, ' ');
    figure.lastIndex = 0;
    for (let match = figure.exec(masked); match; match = figure.exec(masked)) if (!year.test(match[0])) add(match[0]);
  }
  superlative.lastIndex = 0;
  for (let match = superlative.exec(lower); match; match = superlative.exec(lower)) add(match[0]);
  return claims;
}

/** The claims in `text` that no fact states. A fact backs a claim when it contains the same figure or word. */
export function unsupportedClaims(text: string, facts: readonly string[]): string[] {
  const claims = findClaims(text);
  if (claims.length === 0) return claims;
  const known = facts.map(normalise).join('\n');
  return claims.filter((claim) => !known.includes(claim));
}

const phraseCache = new Map<string, RegExp>();

/** A prohibited phrase as a whole-word, case-insensitive pattern in which spaces and hyphens are interchangeable. */
function phrasePattern(phrase: string): RegExp {
  let pattern = phraseCache.get(phrase);
  if (!pattern) {
    const body = phrase
      .trim()
      .split(/[\s-]+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s-]+');
    pattern = new RegExp(`(?<![\\w])${body}(?![\\w])`, 'i');
    // Phrases come from tenants' policies; a bound keeps a long-running host from collecting them forever.
    if (phraseCache.size > 5_000) phraseCache.clear();
    phraseCache.set(phrase, pattern);
  }
  return pattern;
}

/** The policy's prohibited phrases that `text` uses, as the policy spells them. */
export function prohibitedClaimsIn(text: string, prohibited: readonly string[]): string[] {
  return prohibited.filter((phrase) => phrasePattern(phrase).test(text));
}
