import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, sameSecret, verifyHmacSha256Hex } from '../../src/provider-kit/hmac.js';

const SECRET = 'whsec_hmac_test_0123456789';
const BODY = Buffer.from('{"id":"evt_1","type":"payment_captured"}');
const GOOD = createHmac('sha256', SECRET).update(BODY).digest('hex');

/** `GOOD` with the character at `index` replaced. */
function withCharAt(index: number, char: string): string {
  return GOOD.slice(0, index) + char + GOOD.slice(index + 1);
}

describe('verifyHmacSha256Hex: exactly 64 ASCII hex digits, either case, around spaces', () => {
  it('accepts the digest in lower, upper and mixed case, and with surrounding whitespace', () => {
    expect(hmacSha256Hex(BODY, SECRET)).toBe(GOOD);
    for (const header of [
      GOOD,
      GOOD.toUpperCase(),
      GOOD.slice(0, 32) + GOOD.slice(32).toUpperCase(),
      `  ${GOOD}\t`,
    ]) {
      expect(verifyHmacSha256Hex(BODY, header, SECRET)).toBe(true);
    }
    expect(verifyHmacSha256Hex(BODY.toString('utf8'), GOOD, SECRET)).toBe(true);
  });

  it('refuses a missing, empty, truncated, padded or prefixed value', () => {
    for (const header of [
      undefined,
      '',
      GOOD.slice(0, 63),
      `${GOOD}0`,
      `${GOOD}00`,
      `0x${GOOD.slice(2)}`,
      `${GOOD.slice(0, 32)} ${GOOD.slice(33)}`,
      `sha256=${GOOD}`,
    ]) {
      expect(verifyHmacSha256Hex(BODY, header, SECRET)).toBe(false);
    }
  });

  it('refuses a non-hex ASCII character anywhere', () => {
    for (const index of [0, 1, 31, 62, 63]) {
      for (const char of ['g', 'G', 'z', ' ', '-', '=', '\0']) {
        expect(verifyHmacSha256Hex(BODY, withCharAt(index, char), SECRET)).toBe(false);
      }
    }
  });

  it('refuses a non-ASCII character whose low byte is the right hex digit', () => {
    // Node's hex decoder reads only the low byte of each UTF-16 unit: 'š' (U+0161) would
    // decode like 'a'. Such a header is not 64 hex digits and must never verify.
    const index = GOOD.search(/[a-f]/);
    const digit = GOOD.charCodeAt(index);
    for (const high of [0x100, 0x0200, 0xff00, 0xd800]) {
      const header = withCharAt(index, String.fromCharCode(high | digit));
      expect(header.length).toBe(64);
      expect(Buffer.from(header, 'hex').equals(Buffer.from(GOOD, 'hex'))).toBe(true);
      expect(verifyHmacSha256Hex(BODY, header, SECRET)).toBe(false);
    }
    const numeric = GOOD.search(/[0-9]/);
    const fullwidth = String.fromCharCode(0xff10 + (GOOD.charCodeAt(numeric) - 0x30));
    expect(verifyHmacSha256Hex(BODY, withCharAt(numeric, fullwidth), SECRET)).toBe(false);
  });

  it('refuses a well-formed digest of another body or key, and does not remember the last one', () => {
    const other = createHmac('sha256', SECRET).update('other').digest('hex');
    expect(verifyHmacSha256Hex(BODY, other, SECRET)).toBe(false);
    expect(verifyHmacSha256Hex(BODY, GOOD, `${SECRET}x`)).toBe(false);
    // Checks in a row, valid and not, each decided on its own header only.
    expect(verifyHmacSha256Hex(BODY, GOOD, SECRET)).toBe(true);
    expect(verifyHmacSha256Hex(BODY, withCharAt(5, 'g'), SECRET)).toBe(false);
    expect(verifyHmacSha256Hex(BODY, other, SECRET)).toBe(false);
    expect(verifyHmacSha256Hex(BODY, GOOD, SECRET)).toBe(true);
  });
});

describe('sameSecret', () => {
  it('compares whatever the lengths', () => {
    expect(sameSecret('token-1', 'token-1')).toBe(true);
    expect(sameSecret('token-1', 'token-12')).toBe(false);
    expect(sameSecret(undefined, 'token-1')).toBe(false);
  });
});
