import { cityMapping } from 'city-timezones';
import { getAllCountries, getTimezone } from 'countries-and-timezones';
import { parseName } from 'humanparser';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { headerSafe } from '../mail/header-safe';

/**
 * Field normalisation for imported prospects: pure functions, one per kind of value, each taking what a
 * spreadsheet cell holds and returning the canonical value or undefined when there is nothing usable.
 * Everything that cleans an imported value lives here, so stricter sanitising extends one place.
 */

const unevenSpace = /\s{2,}|[^\S ]/;

/** A cell's text on one line with single spaces: header-safe (no CR, LF or other control characters). */
export function singleLine(value: string): string {
  const safe = headerSafe(value);
  return unevenSpace.test(safe) ? safe.replace(/\s+/g, ' ') : safe;
}

/**
 * The address in what people paste into an e-mail column: `mailto:` links, `<a@b>`, `"Name" <a@b>`,
 * stray spaces and capitals. The display name, when there is one, comes back too.
 */
export function parseEmailCell(raw: string): { email: string; displayName?: string } {
  let value = singleLine(raw);
  let displayName: string | undefined;
  const angled = /^(.*?)<([^<>]+)>\s*$/.exec(value);
  if (angled) {
    displayName =
      angled[1]!
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim() || undefined;
    value = angled[2]!;
  }
  value = value
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/\?.*$/, '')
    .replace(/\s+/g, '');
  return { email: value.toLowerCase(), ...(displayName ? { displayName } : {}) };
}

export function splitFullName(fullName: string): { firstName?: string; lastName?: string } {
  const parsed = parseName(singleLine(fullName));
  const firstName = [parsed.firstName, parsed.middleName].filter(Boolean).join(' ');
  return { ...(firstName ? { firstName } : {}), ...(parsed.lastName ? { lastName: parsed.lastName } : {}) };
}

/** E.164 (`+14155552671`) for a number written any common way; a national number needs the country. */
export function toE164(raw: string, country?: string): string | undefined {
  const value = singleLine(raw).replace(/^tel:/i, '');
  if (!value) return undefined;
  const region = countryCode(country ?? '');
  const parsed = parsePhoneNumberFromString(value, region as CountryCode | undefined);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** A company's domain from its website (`https://www.acme.com/about` → `acme.com`). */
export function domainFromWebsite(raw: string): string | undefined {
  const value = singleLine(raw).toLowerCase();
  if (!value) return undefined;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`).hostname.replace(/^www\./, '');
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

const countryAliases: Record<string, string> = {
  usa: 'US',
  'united states': 'US',
  'united states of america': 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
};
// Built once: the library assembles every country afresh on each call, far too slow to do per row.
const countries = getAllCountries();
const countryByName = new Map(Object.values(countries).map((country) => [country.name.toLowerCase(), country.id]));

/** ISO 3166-1 alpha-2 for a country written as a code or a name; undefined when not recognised. */
export function countryCode(raw: string): string | undefined {
  const value = singleLine(raw);
  if (!value) return undefined;
  if (/^[a-z]{2}$/i.test(value)) {
    const code = value.toUpperCase();
    return countries[code as keyof typeof countries] ? code : undefined;
  }
  const name = value.toLowerCase();
  return countryAliases[name] ?? countryByName.get(name);
}

/**
 * The IANA time zone for where a prospect is, from the most precise place given: the city (within the
 * state and country when given), else the state or province, else a country that keeps one offset.
 */
export function timeZoneFor(place: { country?: string; state?: string; city?: string }): string | undefined {
  const key = `${place.country ?? ''}|${place.state ?? ''}|${place.city ?? ''}`;
  if (!zoneByPlace.has(key)) {
    // A list repeats the same few places thousands of times: look each up once.
    if (zoneByPlace.size > 10_000) zoneByPlace.clear();
    zoneByPlace.set(key, lookUpTimeZone(place));
  }
  return zoneByPlace.get(key);
}

const zoneByPlace = new Map<string, string | undefined>();

function lookUpTimeZone(place: { country?: string; state?: string; city?: string }): string | undefined {
  const country = place.country ? countryCode(place.country) : undefined;
  const state = place.state ? singleLine(place.state).toLowerCase() : undefined;
  const city = place.city ? singleLine(place.city).toLowerCase() : undefined;
  const inState = (entry: (typeof cityMapping)[number]) =>
    !state || entry.province.toLowerCase() === state || entry.state_ansi?.toLowerCase() === state;
  const candidates = cityMapping.filter(
    (entry) =>
      (!country || entry.iso2 === country) &&
      inState(entry) &&
      (!city || entry.city.toLowerCase() === city || entry.city_ascii.toLowerCase() === city),
  );
  if ((city || state) && candidates.length > 0) {
    return candidates.reduce((largest, entry) => (entry.pop > largest.pop ? entry : largest)).timezone;
  }
  if (!country) return undefined;
  const zones = countries[country as keyof typeof countries]?.timezones ?? [];
  const offsets = new Set(zones.map((zone) => getTimezone(zone)?.utcOffset));
  return zones.length > 0 && offsets.size === 1 ? zones[0] : undefined;
}

const truthy = new Set(['true', 'yes', 'y', '1', 'x', 'ja', 'oui', 'si', 'sí']);
const falsy = new Set(['false', 'no', 'n', '0', '', 'nein', 'non']);

/** A yes/no cell (`TRUE`, `Yes`, `1`, `x`); undefined when it is neither. */
export function parseFlag(raw: string): boolean | undefined {
  const value = singleLine(raw).toLowerCase();
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  return undefined;
}
