import { describe, expect, it } from 'vitest';
import { findPii, isValidIban, passesLuhn } from './pii';

describe('personal data in an email', () => {
  it('finds a card number only when it passes the Luhn check, however it is grouped', () => {
    expect(findPii('Card: 4111 1111 1111 1111, exp 12/27')).toEqual(['credit card number']);
    expect(findPii('Card: 5500-0000-0000-0004')).toEqual(['credit card number']);
    expect(findPii('Card: 4111 1111 1111 1112')).toEqual([]);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });

  it('does not take order numbers, phone numbers or repeated digits for card numbers', () => {
    expect(findPii('Order 12345678901234 ships today. Call +1 (555) 010-2030.')).toEqual([]);
    expect(findPii('Reference 0000 0000 0000 0000')).toEqual([]);
  });

  it('finds an IBAN whose checksum holds, printed or compact', () => {
    expect(findPii('Please pay to DE89 3704 0044 0532 0130 00 by Friday.')).toEqual(['IBAN']);
    expect(findPii('IBAN GB82WEST12345698765432')).toEqual(['IBAN']);
    expect(isValidIban('GB82WEST12345698765433')).toBe(false);
    expect(findPii('Code DE12 3456 7890 1234 5678 90')).toEqual([]);
  });

  it('finds a US social security number, but not an impossible one', () => {
    expect(findPii('SSN 123-45-6789')).toEqual(['US social security number']);
    expect(findPii('SSN 000-12-3456 or 666-12-3456 or 123-00-4567')).toEqual([]);
  });

  it('finds passport-like numbers, by shape or next to the word passport', () => {
    expect(findPii('Traveller X1234567 arrives Monday.')).toEqual(['passport number']);
    expect(findPii('Her passport no. 987654321 expires soon.')).toEqual(['passport number']);
    expect(findPii('Your passport renewal reminder')).toEqual([]);
  });

  it('finds nothing in ordinary prose', () => {
    expect(findPii('Hi Dana, 3 ideas for Acme. Could we talk on 12 May at 10:30?')).toEqual([]);
  });
});
