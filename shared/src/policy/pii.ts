/** Personal data an outbound email should never carry without a human reading it first. */
export type PiiKind = 'credit card number' | 'IBAN' | 'US social security number' | 'passport number';

const cardCandidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const ibanCandidate = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const ssn = /(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])/;
const passportLike = /\b[A-Z]{1,2}\d{6,8}\b|\bpassport\W{1,20}(?:no\.?|number|#)?\W{0,3}(?=[A-Z]*\d)[A-Z0-9]{6,9}\b/i;

/** The Luhn check every payment card number passes (and most digit runs do not). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616: the country code and check digits moved to the end, letters as numbers, mod 97 equals 1. */
export function isValidIban(candidate: string): boolean {
  const iban = candidate.replaceAll(' ', '');
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

function hasCardNumber(text: string): boolean {
  for (const [match] of text.matchAll(cardCandidate)) {
    const digits = match.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && passesLuhn(digits)) return true;
  }
  return false;
}

function hasIban(text: string): boolean {
  for (const [match] of text.matchAll(ibanCandidate)) if (isValidIban(match)) return true;
  return false;
}

/** The kinds of personal data `text` appears to contain; checksums keep order numbers and phone numbers out. */
export function findPii(text: string): PiiKind[] {
  if (!/\d/.test(text)) return [];
  const found: PiiKind[] = [];
  if (hasCardNumber(text)) found.push('credit card number');
  if (hasIban(text)) found.push('IBAN');
  if (ssn.test(text)) found.push('US social security number');
  if (passportLike.test(text)) found.push('passport number');
  return found;
}
