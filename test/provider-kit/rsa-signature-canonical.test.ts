import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerValue } from '../../src/core/webhook-types.js';
import {
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../src/provider-kit/rsa-signature.js';

// The fast paths taken for every Antom answer and webhook keep the strict behaviour.

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const content = signedContent('POST', '/ams/api/v1/payments/capture', 'C1', '1', '{"a":1}');
const signature = signRsa256(content, rsa.privateKey);

describe('verifyRsa256 accepts canonical base64 only', () => {
  it('accepts the signature padded and unpadded', () => {
    expect(signature.endsWith('==')).toBe(true);
    expect(verifyRsa256(content, signature, rsa.publicKey)).toBe(true);
    expect(verifyRsa256(content, signature.replace(/=+$/, ''), rsa.publicKey)).toBe(true);
  });

  it('refuses padding that is not exactly what the length needs', () => {
    const unpadded = signature.replace(/=+$/, '');
    // A 256-byte RSA-2048 signature is 342 base64 digits + "==".
    expect(verifyRsa256(content, `${unpadded}=`, rsa.publicKey)).toBe(false);
    expect(verifyRsa256(content, `${unpadded}===`, rsa.publicKey)).toBe(false);
  });

  it('refuses base64url, whitespace and trailing data', () => {
    const url = signature.replaceAll('+', '-').replaceAll('/', '_');
    const cases = [
      url === signature ? `${signature}-` : url,
      `${signature}\n`,
      `${signature.slice(0, 100)}\n${signature.slice(100)}`,
      `${signature}AAAA`,
    ];
    for (const candidate of cases)
      expect(verifyRsa256(content, candidate, rsa.publicKey)).toBe(false);
  });
});

describe('parseSignatureHeader', () => {
  it('passes a signature without %-escapes through unchanged', () => {
    expect(parseSignatureHeader('algorithm=RSA256,keyVersion=2,signature=abc+/=')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: 'abc+/=',
    });
  });

  it('lets a repeated part win as the last one, and ignores unknown parts', () => {
    expect(parseSignatureHeader('signature=a,extra=1,SIGNATURE=b%2B')).toEqual({
      algorithm: 'RSA256',
      keyVersion: undefined,
      signature: 'b+',
    });
  });

  it('is undefined for a malformed %-escape or an empty signature', () => {
    expect(parseSignatureHeader('signature=%E0%A4%A')).toBeUndefined();
    expect(parseSignatureHeader('algorithm=RSA256,signature=')).toBeUndefined();
  });
});

describe('headerValue', () => {
  it('finds lower-case keys directly and other casings by scanning', () => {
    expect(headerValue({ signature: 'x' }, 'Signature')).toBe('x');
    expect(headerValue({ 'Client-Id': 'C1' }, 'client-id')).toBe('C1');
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1, 2');
  });

  it('never reads inherited properties', () => {
    expect(headerValue({}, 'constructor')).toBeUndefined();
    expect(headerValue({ toString: undefined }, 'toString')).toBeUndefined();
  });
});
