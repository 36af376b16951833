import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HubSpot stops signing a request as fresh after five minutes; older ones are refused as possible replays. */
export const maxSignatureAgeMs = 5 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called (scheme, host, path, query). */
  url: string;
  body: string;
  /** X-HubSpot-Request-Timestamp (milliseconds since the epoch), v3 only. */
  timestamp?: string;
}

/**
 * HubSpot's three signature versions. v1 and v2 are plain SHA-256 hashes with no timestamp, so a captured request can
 * be replayed forever; ASEP accepts only v3 and computes the others for completeness of the published test vectors.
 */
export function hubSpotSignature(version: 'v1' | 'v2' | 'v3', clientSecret: string, request: SignedRequest): string {
  switch (version) {
    case 'v1':
      return createHash('sha256')
        .update(clientSecret + request.body, 'utf8')
        .digest('hex');
    case 'v2':
      return createHash('sha256')
        .update(clientSecret + request.method + request.url + request.body, 'utf8')
        .digest('hex');
    case 'v3':
      return createHmac('sha256', clientSecret)
        .update(request.method + signedUri(request.url) + request.body + (request.timestamp ?? ''), 'utf8')
        .digest('base64');
  }
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/** Checks X-HubSpot-Signature-v3: fresh timestamp, then the HMAC compared in constant time. */
export function verifyHubSpotSignature(clientSecret: string, request: SignedRequest, signature: string | undefined, now: Date): SignatureCheck {
  if (!signature || !request.timestamp) return { valid: false, reason: 'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required' };
  const sentAt = Number(request.timestamp);
  if (!Number.isSafeInteger(sentAt)) return { valid: false, reason: 'the request timestamp is not a number' };
  const age = now.getTime() - sentAt;
  if (age > maxSignatureAgeMs) return { valid: false, reason: 'the request is older than five minutes' };
  // A little clock skew is normal; a timestamp far in the future would stretch the replay window.
  if (age < -maxSignatureAgeMs) return { valid: false, reason: 'the request timestamp is in the future' };
  const expected = Buffer.from(hubSpotSignature('v3', clientSecret, request), 'base64');
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'the signature does not match' };
  return { valid: true };
}

/** HubSpot decodes these escapes in the URI before signing (its "validating requests" guide); the rest stay encoded. */
const decodedBeforeSigning: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

function signedUri(url: string): string {
  return url.replace(/%[0-9A-Fa-f]{2}/g, (escape) => decodedBeforeSigning[escape.toUpperCase()] ?? escape);
}

/**
 * Signatures seen in the last five minutes, by this instance. A genuine HubSpot retry is signed anew (new timestamp),
 * so a repeated signature is a captured request played back. Events are also deduplicated durably by event id.
 */
export class SeenSignatures {
  private readonly seen = new Map<string, number>();

  /** True the first time a signature shows up within its validity window. */
  firstSighting(signature: string, now: Date): boolean {
    const at = now.getTime();
    for (const [known, seenAt] of this.seen) if (seenAt <= at - maxSignatureAgeMs) this.seen.delete(known);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, at);
    return true;
  }
}
