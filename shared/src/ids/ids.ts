import { z } from 'zod';

/**
 * The ids ASEP hands out and accepts back: in paths, query strings and bodies. Each is checked here before
 * it reaches a store, because Cosmos DB refuses `/`, `\`, `?` and `#` in an id, a lone surrogate cannot be
 * encoded into a request URI, and an empty or padded id is never one we issued.
 */

/** Letters, digits and `. _ : -`, starting with a letter or digit: every record id ASEP issues has this shape. */
const recordIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

function recordIdSchema(what: string, maxLength = 128) {
  return z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} is empty`)
    .max(maxLength, `${what} is longer than ${maxLength} characters`)
    .regex(recordIdPattern, `${what} may hold only letters, digits, '.', '_', ':' and '-', starting with a letter or digit`);
}

/** An Entra tenant id (a GUID in Entra; any record-id-shaped value locally). It starts every partition key. */
export const tenantIdSchema = recordIdSchema('a tenant id', 100);
export const campaignIdSchema = recordIdSchema('a campaign id');
export const prospectIdSchema = recordIdSchema('a prospect id');
export const approvalIdSchema = recordIdSchema('an approval id');
export const dealIdSchema = recordIdSchema('a deal id');
export const bookingIdSchema = recordIdSchema('a booking id');
export const userIdSchema = recordIdSchema('a user id', 200);
export const importIdSchema = recordIdSchema('an import id');
export const killSwitchReleaseIdSchema = recordIdSchema('a kill switch release id');

/** True when the string holds a UTF-16 surrogate without its partner: such a string has no UTF-8 form. */
export function hasLoneSurrogate(value: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

/**
 * An RFC 5322 Message-ID as mail carries it (`<local@domain>`, brackets optional here): printable, no
 * whitespace, at most a header line long. ASEP never stores it as an id; it hashes it into one.
 */
export const internetMessageIdSchema = z
  .string({ error: 'an internet message id must be a string' })
  .min(3, 'an internet message id has at least 3 characters')
  .max(998, 'an internet message id is at most 998 characters')
  .refine((value) => !hasLoneSurrogate(value), 'an internet message id must be well-formed text')
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\s\u0000-\u001f\u007f]/.test(value), 'an internet message id holds no spaces or control characters');
