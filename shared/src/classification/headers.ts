/** Header values by lower-cased name; RFC 5322 header names are case-insensitive. */
export type HeaderMap = ReadonlyMap<string, string>;

export interface ReadHeaders {
  headers: HeaderMap;
  /** Why some entries were ignored, for the decision trace. */
  problems: string[];
}

export function readHeaders(raw: unknown): ReadHeaders {
  const headers = new Map<string, string>();
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { headers, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { headers, problems: ['headers are not an object; ignored'] };
  }
  for (const [name, value] of Object.entries(raw)) {
    const key = name.trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(key)) {
      problems.push(`header name ${JSON.stringify(name.slice(0, 40))} is not a valid field name; ignored`);
      continue;
    }
    if (typeof value !== 'string') {
      problems.push(`header ${key} has a non-string value; ignored`);
      continue;
    }
    // Unfold continuation lines so patterns see one logical value.
    headers.set(key, value.replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return { headers, problems };
}
