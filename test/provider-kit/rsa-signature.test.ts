import { createPublicKey, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatSignatureHeader,
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../src/provider-kit/rsa-signature.js';

const SETTING = 'antom({ privateKey })';
const PUBLIC_SETTING = 'antom({ antomPublicKey })';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const pkcs8Pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const pkcs1Pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const pkcs8Base64 = rsa.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const spkiPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const spkiBase64 = rsa.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const ecPrivatePem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const ecPublicPem = ec.publicKey.export({ format: 'pem', type: 'spki' }).toString();

/** Breaks base64 into 64-character lines the way key files are usually wrapped. */
function wrap(base64: string, eol = '\n'): string {
  return base64.match(/.{1,64}/g)?.join(eol) ?? base64;
}

function samePublic(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject) =>
    (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'der', type: 'spki' });
  return der(a).equals(der(b));
}

/** The throw's message; fails the test when nothing was thrown. */
function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

/** Longest run of a secret that must never be echoed back in an error. */
function expectNoKeyText(message: string, secret: string): void {
  const body = secret.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  for (let at = 0; at + 16 <= body.length; at += 16) {
    expect(message).not.toContain(body.slice(at, at + 16));
  }
}

describe('loadPrivateKey', () => {
  it.each([
    ['PEM PKCS#8', pkcs8Pem],
    ['PEM PKCS#1', pkcs1Pem],
    ['PEM with CRLF and surrounding blanks', `\n  ${pkcs8Pem.replaceAll('\n', '\r\n')}  \n`],
    ['bare base64 PKCS#8 DER on one line', pkcs8Base64],
    ['bare base64 PKCS#8 DER with line breaks', wrap(pkcs8Base64)],
    ['bare base64 PKCS#8 DER with CRLF line breaks', wrap(pkcs8Base64, '\r\n')],
    ['a private KeyObject', rsa.privateKey],
  ] as const)('accepts %s', (_name, input) => {
    const key = loadPrivateKey(input, SETTING);
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(samePublic(key, rsa.publicKey)).toBe(true);
  });

  it('rejects a public KeyObject, naming the setting', () => {
    const message = thrownMessage(() => loadPrivateKey(rsa.publicKey, SETTING));
    expect(message).toContain(SETTING);
    expect(message).toMatch(/private key/);
  });

  it.each([
    ['an EC private key as PEM', ecPrivatePem, /RSA/],
    ['an EC private KeyObject', ec.privateKey, /RSA/],
    ['an RSA public key PEM', spkiPem, /could not be read/],
    ['a base64 SPKI public key', spkiBase64, /could not be read/],
    ['garbage', 'not a key at all', /could not be read/],
    ['truncated base64', pkcs8Base64.slice(0, 200), /could not be read/],
    ['truncated PEM', pkcs8Pem.slice(0, 400), /could not be read/],
    ['an empty string', '', /missing/],
    ['blank', '  \n ', /missing/],
    ['undefined', undefined, /missing/],
    ['a number', 42, /missing/],
    ['a Buffer', Buffer.from(pkcs8Pem), /missing/],
  ] as const)('rejects %s, naming the setting and never echoing the key', (_n, input, why) => {
    const message = thrownMessage(() => loadPrivateKey(input, SETTING));
    expect(message.startsWith(SETTING)).toBe(true);
    expect(message).toMatch(why);
    for (const secret of [pkcs8Pem, pkcs1Pem, pkcs8Base64, ecPrivatePem]) {
      expectNoKeyText(message, secret);
    }
  });
});

describe('loadPublicKey', () => {
  it.each([
    ['PEM SPKI', spkiPem],
    ['PEM PKCS#1 public', rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['bare base64 SPKI', spkiBase64],
    ['bare base64 SPKI with line breaks', wrap(spkiBase64)],
    ['a public KeyObject', rsa.publicKey],
  ] as const)('accepts %s', (_name, input) => {
    const key = loadPublicKey(input, PUBLIC_SETTING);
    expect(key.type).toBe('public');
    expect(samePublic(key, rsa.publicKey)).toBe(true);
  });

  it('reduces a private KeyObject to its public half', () => {
    const key = loadPublicKey(rsa.privateKey, PUBLIC_SETTING);
    expect(key.type).toBe('public');
    expect(samePublic(key, rsa.publicKey)).toBe(true);
  });

  it.each([
    ['an EC public key PEM', ecPublicPem, /RSA/],
    ['an EC public KeyObject', ec.publicKey, /RSA/],
    ['garbage', '%%% nope %%%', /could not be read/],
    ['a private base64 PKCS#8 (not SPKI)', pkcs8Base64, /could not be read/],
    ['empty', '', /missing/],
    ['null', null, /missing/],
  ] as const)('rejects %s, naming the setting', (_n, input, why) => {
    const message = thrownMessage(() => loadPublicKey(input, PUBLIC_SETTING));
    expect(message.startsWith(PUBLIC_SETTING)).toBe(true);
    expect(message).toMatch(why);
    expectNoKeyText(message, pkcs8Base64);
  });
});

describe('signRsa256 / verifyRsa256', () => {
  const content = signedContent(
    'POST',
    '/ams/api/v1/payments/capture',
    'SANDBOX_1',
    '1700000000000',
    '{"a":1}',
  );

  it('produces a signature plain crypto.verify accepts', () => {
    const signature = signRsa256(content, rsa.privateKey);
    expect(signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(verify('sha256', content, rsa.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verifyRsa256(content, signature, rsa.publicKey)).toBe(true);
  });

  it('verifies what it signs for any body bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const c = signedContent('POST', '/p', 'cid', '1', Buffer.from(bytes));
        expect(verifyRsa256(c, signRsa256(c, rsa.privateKey), rsa.publicKey)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('is false for tampered content, another key, and malformed signatures, and never throws', () => {
    const signature = signRsa256(content, rsa.privateKey);
    const tampered = Buffer.from(content);
    tampered[tampered.length - 2] = 0x32;
    const flipped = Buffer.from(signature, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const cases = [
      verifyRsa256(tampered, signature, rsa.publicKey),
      verifyRsa256(content, signature, other.publicKey),
      verifyRsa256(content, flipped.toString('base64'), rsa.publicKey),
      verifyRsa256(content, '', rsa.publicKey),
      verifyRsa256(content, '%%%%', rsa.publicKey),
      verifyRsa256(content, 'not base64 at all!', rsa.publicKey),
      verifyRsa256(content, signature.slice(0, 20), rsa.publicKey),
      verifyRsa256(content, `${signature}${signature}`, rsa.publicKey),
      verifyRsa256(content, `${signature}!!`, rsa.publicKey),
      verifyRsa256(content, ` ${signature}`, rsa.publicKey),
      verifyRsa256(content, `${signature.slice(0, 10)} ${signature.slice(10)}`, rsa.publicKey),
      verifyRsa256(content, `${signature.slice(0, 10)}-_${signature.slice(12)}`, rsa.publicKey),
      verifyRsa256(content, signature, ec.publicKey),
      verifyRsa256(content, undefined as unknown as string, rsa.publicKey),
    ];
    expect(cases).toEqual(cases.map(() => false));
  });

  it('accepts a signature whose base64 padding was stripped', () => {
    const signature = signRsa256(content, rsa.privateKey);
    expect(verifyRsa256(content, signature.replace(/=+$/, ''), rsa.publicKey)).toBe(true);
  });

  it('never throws for random signature strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        expect(verifyRsa256(content, s, rsa.publicKey)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('signature header', () => {
  it('URL-encodes + / = in the signature', () => {
    expect(formatSignatureHeader('abc+/=', 1)).toBe(
      'algorithm=RSA256,keyVersion=1,signature=abc%2B%2F%3D',
    );
    expect(formatSignatureHeader('a+b')).toBe('algorithm=RSA256,keyVersion=1,signature=a%2Bb');
    expect(formatSignatureHeader('x', '2')).toContain('keyVersion=2');
  });

  it('round-trips real signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(99), (bytes, version) => {
        const signature = Buffer.from(bytes).toString('base64');
        const header = formatSignatureHeader(signature, version);
        expect(header).not.toMatch(/signature=.*[+/=]/);
        expect(parseSignatureHeader(header)).toEqual({
          algorithm: 'RSA256',
          keyVersion: String(version),
          signature,
        });
      }),
    );
  });

  it('tolerates ", " separators and a missing keyVersion', () => {
    expect(parseSignatureHeader('algorithm=RSA256, keyVersion=1, signature=ab%2Bc%3D')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: 'ab+c=',
    });
    expect(parseSignatureHeader('algorithm=RSA256,signature=ab%2Fc')).toEqual({
      algorithm: 'RSA256',
      keyVersion: undefined,
      signature: 'ab/c',
    });
    expect(parseSignatureHeader('signature=abc')?.algorithm).toBe('RSA256');
    // A provider that forgets to URL-encode still parses: '+' stays '+'.
    expect(parseSignatureHeader('algorithm=RSA256,keyVersion=1,signature=ab+c==')?.signature).toBe(
      'ab+c==',
    );
  });

  it('decodes the signature exactly as decodeURIComponent does, escapes of any case included', () => {
    // The header parser replaces base64's three escapes itself; decodeURIComponent is the oracle.
    const piece = fc.constantFrom(
      'A',
      'z',
      '0',
      '9',
      '+',
      '/',
      '=',
      'Ab3',
      '%2B',
      '%2b',
      '%2F',
      '%2f',
      '%3D',
      '%3d',
      '%41',
      '%E2%82%AC',
      '%',
      '%Z1',
      '%2',
      '%3',
      '%2G',
      '%E2%82',
      '%C3%28',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), (pieces) => {
        const value = pieces.join('');
        let expected: string | undefined;
        try {
          expected = decodeURIComponent(value);
        } catch {
          expected = undefined;
        }
        expect(parseSignatureHeader(`algorithm=RSA256,signature=${value}`)?.signature).toBe(
          expected,
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads any header exactly as the previous split-and-trim parser did', () => {
    // The previous parser, kept here as the oracle for the in-place reader of the usual form.
    const previous = (value: string) => {
      let algorithm: string | undefined;
      let keyVersion: string | undefined;
      let raw: string | undefined;
      for (const piece of value.split(',')) {
        const at = piece.indexOf('=');
        if (at <= 0) continue;
        const name = piece.slice(0, at).trim().toLowerCase();
        if (name === 'signature') raw = piece.slice(at + 1).trim();
        else if (name === 'algorithm') algorithm = piece.slice(at + 1).trim();
        else if (name === 'keyversion') keyVersion = piece.slice(at + 1).trim();
      }
      if (!raw) return undefined;
      let signature: string;
      try {
        signature = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
      return { algorithm: algorithm ?? 'RSA256', keyVersion, signature };
    };
    const name = fc.constantFrom(
      'signature',
      'algorithm',
      'keyVersion',
      'keyversion',
      'Signature',
      'ALGORITHM',
      ' signature',
      'signature ',
      'other',
      '',
      'ſignature',
    );
    const valueChar = fc.constantFrom(
      'a',
      'Z',
      '0',
      '+',
      '/',
      '=',
      '%2B',
      '%3d',
      '%',
      ' ',
      '\t',
      '\u00a0',
      '\ufeff',
      'é',
      ',',
    );
    const part = fc
      .tuple(name, fc.boolean(), fc.array(valueChar, { maxLength: 8 }))
      .map(([n, withEquals, chars]) => `${n}${withEquals ? '=' : ''}${chars.join('')}`);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const header = parts.join(',');
        expect(parseSignatureHeader(header)).toEqual(previous(header));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    [undefined],
    [''],
    ['algorithm=RSA256,keyVersion=1'],
    ['signature='],
    ['algorithm=RSA256,signature=%E0%A4%A'],
    ['garbage'],
  ])('answers undefined for %o', (value) => {
    expect(parseSignatureHeader(value)).toBeUndefined();
  });
});

describe('signedContent', () => {
  it('is exactly "<METHOD> <path>\\n<clientId>.<time>." followed by the body bytes', () => {
    const body = Buffer.from([0x7b, 0xe2, 0x82, 0xac, 0x00, 0xff, 0x7d]);
    const bytes = signedContent('post', '/path', 'client', 'time', body);
    expect(
      bytes.equals(Buffer.concat([Buffer.from('POST /path\nclient.time.', 'ascii'), body])),
    ).toBe(true);
  });

  it('encodes a string body as UTF-8', () => {
    const bytes = signedContent('POST', '/path', 'client', 'time', '{"v":"€"}');
    expect(bytes.equals(Buffer.from('POST /path\nclient.time.{"v":"€"}', 'utf8'))).toBe(true);
  });

  it('matches Buffer.concat of the UTF-8 head and the body for any text and bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        fc.string(),
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 600 })),
        (path, clientId, time, body) => {
          const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
          const expected = Buffer.concat([
            Buffer.from(`POST ${path}\n${clientId}.${time}.`, 'utf8'),
            bytes,
          ]);
          const given = typeof body === 'string' ? body : bytes;
          expect(signedContent('post', path, clientId, time, given).equals(expected)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('signs the empty body as the bare prefix', () => {
    expect(signedContent('GET', '/x', 'c', 't', '').toString()).toBe('GET /x\nc.t.');
  });
});
