import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Services } from '../composition/services';

/** Whose unsubscribe a link is: the token names the prospect by id, never by address. */
export interface UnsubscribeSubject {
  tenantId: string;
  prospectId: string;
}

export type TokenCheck = { valid: true; subject: UnsubscribeSubject } | { valid: false; problem: 'malformed' | 'forged' };

const tenantIdPattern = /^[\w-]{1,100}$/;
const prospectIdPattern = /^prs-[0-9a-f]{24}$/;
const macPattern = /^[\w-]{43}$/;

function mac(key: Buffer, { tenantId, prospectId }: UnsubscribeSubject): Buffer {
  return createHmac('sha256', key).update(`asep-unsubscribe-v1|${tenantId}|${prospectId}`).digest();
}

/** `<base64url(tenantId:prospectId)>.<base64url(HMAC-SHA256)>`: only the signing key makes a valid one. */
export function signUnsubscribeToken(key: Buffer, subject: UnsubscribeSubject): string {
  const payload = Buffer.from(`${subject.tenantId}:${subject.prospectId}`).toString('base64url');
  return `${payload}.${mac(key, subject).toString('base64url')}`;
}

/** Checks a token taken from a URL: `malformed` when it cannot be one of ours, `forged` when its signature is wrong. */
export function verifyUnsubscribeToken(key: Buffer, token: string): TokenCheck {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0 || payload.length > 200 || !macPattern.test(signature)) return { valid: false, problem: 'malformed' };
  const [tenantId, prospectId, ...extra] = Buffer.from(payload, 'base64url').toString('utf8').split(':');
  if (!tenantId || !prospectId || extra.length > 0 || !tenantIdPattern.test(tenantId) || !prospectIdPattern.test(prospectId)) {
    return { valid: false, problem: 'malformed' };
  }
  const subject = { tenantId, prospectId };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, subject);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { valid: true, subject } : { valid: false, problem: 'forged' };
}

/** The one-click unsubscribe page of one prospect. */
export async function unsubscribeLink(services: Services, tenantId: string, prospectId: string): Promise<string> {
  const token = signUnsubscribeToken(await services.unsubscribeKey(), { tenantId, prospectId });
  return `${services.publicUrl}/api/unsubscribe/${token}`;
}

/** What the approver sees where the link will be. */
export const unsubscribePlaceholder = 'Unsubscribe link added when sent';

/** The body as sent: the email, then the unsubscribe line (the placeholder until there is a link). */
export function withUnsubscribeFooter(body: string, link?: string): string {
  return `${body}\n\n--\n${link ? `Don't want these emails? Unsubscribe with one click: ${link}` : unsubscribePlaceholder}`;
}
