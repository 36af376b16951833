/** What stands in for a removed credential, so the model still sees that something was there. */
export const redactionMark = '[redacted]';

/**
 * Shapes of credentials people paste into email: key=value assignments, bearer tokens, JWTs, vendor token formats,
 * signed URL parameters, private keys, and long random strings. Over-redacting a harmless id costs nothing; a key in
 * a prompt leaves the tenant's boundary for good.
 */
const credentialShapes: { pattern: RegExp; keepPrefix?: boolean }[] = [
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { pattern: /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g },
  { pattern: /(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/-]{12,}=*/gi, keepPrefix: true },
  {
    pattern:
      /(\b(?:api[_ -]?key|apikey|secret|client[_ -]?secret|access[_ -]?token|refresh[_ -]?token|auth[_ -]?token|token|password|passwd|pwd|accountkey|sharedaccesskey|private[_ -]?key)\b["']?\s*(?:[:=]|\bis\b)\s*["']?)[^\s"';,]{6,}/gi,
    keepPrefix: true,
  },
  { pattern: /([?&](?:sig|signature|token|access_token|code|key|api-key|apikey|client_secret|password)=)[^&\s#"']+/gi, keepPrefix: true },
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g },
  { pattern: /\bpat-[a-z]{2}\d-[0-9a-f-]{20,}/gi },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/g },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { pattern: /\b[0-9a-f]{32,}\b/gi },
  // Long strings mixing upper case, lower case and digits: base64 keys, SAS signatures, opaque tokens.
  { pattern: /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[a-z])(?=[A-Za-z0-9+/_-]*[A-Z])[A-Za-z0-9+/_-]{24,}={0,2}/g },
];

/** The text with anything that looks like a credential replaced by `[redacted]`, and how many were replaced. */
export function redactSecrets(text: string): { text: string; redactions: number } {
  let redactions = 0;
  let result = text;
  for (const { pattern, keepPrefix } of credentialShapes) {
    result = result.replace(pattern, (match: string, prefix?: unknown) => {
      if (match.includes(redactionMark)) return match;
      redactions += 1;
      return keepPrefix && typeof prefix === 'string' ? `${prefix}${redactionMark}` : redactionMark;
    });
  }
  return { text: result, redactions };
}
