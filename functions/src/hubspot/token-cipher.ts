import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const sealedTokensSchema = z.object({
  algorithm: z.literal('A256GCM'),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type SealedTokens = z.infer<typeof sealedTokensSchema>;

const tokenPairSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });
export type TokenPair = z.infer<typeof tokenPairSchema>;

/**
 * The tenant id is the additional authenticated data: a sealed pair copied into another tenant's record does not
 * open there, so a bug that mixes records up cannot hand one tenant's portal to another.
 */
const boundTo = (tenantId: string) => Buffer.from(`asep:hubspot-tokens:${tenantId}`);

export function sealTokens(key: Buffer, tenantId: string, tokens: TokenPair): SealedTokens {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(boundTo(tenantId));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }), 'utf8'),
    cipher.final(),
  ]);
  return { algorithm: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

export function openTokens(key: Buffer, tenantId: string, sealed: SealedTokens): TokenPair {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(boundTo(tenantId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return tokenPairSchema.parse(JSON.parse(plain.toString('utf8')));
  } catch {
    throw new Error(`The stored HubSpot tokens of tenant ${tenantId} do not open with the current key; connect HubSpot again.`);
  }
}
