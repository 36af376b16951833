/**
 * The date of a message as exported mail carries it: an RFC 5322 `Date:` value (comments, obsolete zone
 * names, two-digit years and all, RFC 5322 §3.3 and §4.3) or an ISO 8601 date-time. The result keeps the
 * sender's own UTC offset, because "back on Monday" resolves in the sender's week, not ours.
 */

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Obsolete zone names (RFC 5322 §4.3) in minutes east of UTC; military letters mean "unknown" (-0000). */
const obsoleteZones: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

const rfc5322Date =
  /^(?:[a-z]{3,9}\s*,?\s*)?(\d{1,2})\s*[-\s]\s*([a-z]{3,9})\.?\s*[-\s]\s*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|([a-z]{1,5}))?$/i;
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

export type MessageDateResult = { ok: true; date: string } | { ok: false; reason: string };

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** RFC 5322 comments: "(PST)", nested ones too. */
function stripComments(value: string): string {
  let previous: string;
  let current = value;
  do {
    previous = current;
    current = current.replace(/\([^()]*\)/g, ' ');
  } while (current !== previous);
  return current.replace(/\s+/g, ' ').trim();
}

function build(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; offset: number }): MessageDateResult {
  const { year, month, day, hour, minute, second, offset } = parts;
  const instant = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    instant.getUTCFullYear() !== year ||
    instant.getUTCMonth() !== month - 1 ||
    instant.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    return { ok: false, reason: 'is not a calendar date' };
  }
  const sign = offset < 0 ? '-' : '+';
  const zone = offset === 0 ? 'Z' : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return { ok: true, date: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(Math.min(second, 59))}${zone}` };
}

function readRfc5322(value: string): MessageDateResult | undefined {
  const match = rfc5322Date.exec(stripComments(value));
  if (!match) return undefined;
  const [, day, monthName, yearText, hour, minute, second, sign, offsetHours, offsetMinutes, zoneName] = match;
  const month = months.indexOf((monthName ?? '').slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return { ok: false, reason: `has an unknown month "${monthName}"` };
  let year = Number(yearText);
  // RFC 5322 §4.3: two-digit years below 50 are 20xx, others 19xx; three-digit years add 1900.
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText!.length === 3) year += 1900;
  let offset = 0;
  if (sign) offset = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  else if (zoneName) {
    const known = obsoleteZones[zoneName.toLowerCase()];
    // Unknown or military zone letters carry no reliable offset: RFC 5322 says to read them as -0000 (UTC).
    offset = known ?? 0;
  }
  return build({ year, month, day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second ?? 0), offset });
}

function readIso(value: string): MessageDateResult | undefined {
  const match = isoDateTime.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, zulu, sign, offsetHours, offsetMinutes] = match;
  const offset = zulu || !sign ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  return build({
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    offset,
  });
}

/** ISO 8601 date-time with the sender's offset, from an RFC 5322 or ISO 8601 value. */
export function readMessageDate(value: string): MessageDateResult {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, reason: 'is empty' };
  const result = readIso(trimmed) ?? readRfc5322(trimmed);
  if (!result) return { ok: false, reason: `"${trimmed.slice(0, 60)}" is neither an RFC 5322 nor an ISO 8601 date` };
  return result.ok ? result : { ok: false, reason: `"${trimmed.slice(0, 60)}" ${result.reason}` };
}
