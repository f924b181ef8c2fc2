import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed part of an unsubscribe link: `<payload>.<signature>`, both base64url. The payload is the recipient's
 * id (16 bytes) followed by its e-mail (UTF-8, lower-cased); the signature is HMAC-SHA-256 of the payload under the
 * service's secret. So the link names exactly one recipient and one address, cannot be made up or altered, and is
 * checked without reading the database (a forged token is refused before any query). It does not expire: RFC 8058
 * expects the link in an old message to keep working.
 */
export type UnsubscribeClaim = { recipientId: string; email: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Longest token accepted: a 254-character address plus the id and the signature, base64url. */
const MAX_TOKEN_LENGTH = 512;

const sign = (payload: Buffer, secret: string): Buffer => createHmac('sha256', secret).update('kartoteka-unsubscribe:').update(payload).digest();

export function createUnsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  const id = claim.recipientId.toLowerCase();
  if (!UUID.test(id)) throw new Error('recipientId must be a uuid');
  const payload = Buffer.concat([Buffer.from(id.replace(/-/g, ''), 'hex'), Buffer.from(claim.email.toLowerCase(), 'utf8')]);
  return `${payload.toString('base64url')}.${sign(payload, secret).toString('base64url')}`;
}

/** The recipient and address a token names, or null when it is malformed or its signature does not match. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaim | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) return null;
  const [encodedPayload, encodedSignature] = token.split('.');
  const payload = Buffer.from(encodedPayload, 'base64url');
  const signature = Buffer.from(encodedSignature, 'base64url');
  const expected = sign(payload, secret);
  if (payload.length <= 16 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  const hex = payload.subarray(0, 16).toString('hex');
  const recipientId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const email = payload.subarray(16).toString('utf8');
  if (!email.includes('@') || email !== email.toLowerCase()) return null;
  return { recipientId, email };
}

/** The public unsubscribe page of a recipient (the same URL goes into List-Unsubscribe and `{{unsubscribeUrl}}`). */
export function unsubscribeUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/rest/mailings/unsubscribe/${token}`;
}
