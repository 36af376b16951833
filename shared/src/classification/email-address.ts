/**
 * An e-mail address, with every part length-bounded as RFC 5321 allows: an unbounded local part makes the
 * match quadratic on long runs of letters, which a multi-megabyte body would turn into seconds.
 */
export const emailAddressSource = "[A-Za-z0-9._%+'=-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}\\.[A-Za-z]{2,24}";

export function emailAddresses(text: string): string[] {
  return text.match(new RegExp(emailAddressSource, 'g')) ?? [];
}
