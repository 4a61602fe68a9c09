import { createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/**
 * The RSA request/response signature shared by the Alipay family of APIs (Antom / AMS v1
 * and Alipay+ v2): SHA256withRSA (PKCS#1 v1.5) over
 * `<METHOD> <PATH>\n<client-id>.<time>.<raw body>`, carried in a header
 * `algorithm=RSA256,keyVersion=<n>,signature=<urlencode(base64(sig))>`.
 *
 * Keys are parsed once, at adapter construction: parsing a PEM per call is several times
 * slower than the signature itself.
 */

/**
 * Loads an RSA private key from PEM (PKCS#8 or PKCS#1), bare base64 PKCS#8 DER (how the
 * Alipay portals hand it out), or a `KeyObject`. Throws a `TypeError` that names
 * `settingName` and never includes the key material.
 *
 * @example
 * ```ts
 * const key = loadPrivateKey(process.env.ANTOM_PRIVATE_KEY, 'antom({ privateKey })');
 * ```
 */
export function loadPrivateKey(input: unknown, settingName: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') {
      throw new TypeError(`${settingName} must be a private key; got a ${input.type} KeyObject.`);
    }
    return requireRsa(input, settingName);
  }
  if (typeof input !== 'string' || input.trim().length === 0) {
    throw new TypeError(
      `${settingName} is missing: pass the merchant RSA private key as PEM, bare base64 PKCS#8, or a KeyObject.`,
    );
  }
  const text = input.trim();
  try {
    const key = text.includes('-----BEGIN')
      ? createPrivateKey({ key: text, format: 'pem' })
      : createPrivateKey({ key: base64Der(text), format: 'der', type: 'pkcs8' });
    return requireRsa(key, settingName);
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith(settingName)) throw error;
    throw new TypeError(
      `${settingName} could not be read as an RSA private key (PEM, or base64 PKCS#8 DER without armour). Check that the whole key was copied.`,
    );
  }
}

/**
 * Loads an RSA public key from PEM, bare base64 X.509 SubjectPublicKeyInfo, or a
 * `KeyObject` (a private `KeyObject` is reduced to its public half).
 *
 * @example
 * ```ts
 * const key = loadPublicKey(process.env.ANTOM_PUBLIC_KEY, 'antom({ antomPublicKey })');
 * ```
 */
export function loadPublicKey(input: unknown, settingName: string): KeyObject {
  if (input instanceof KeyObject) {
    return requireRsa(input.type === 'private' ? createPublicKey(input) : input, settingName);
  }
  if (typeof input !== 'string' || input.trim().length === 0) {
    throw new TypeError(
      `${settingName} is missing: pass the provider's RSA public key as PEM, bare base64 SPKI, or a KeyObject.`,
    );
  }
  const text = input.trim();
  try {
    const key = text.includes('-----BEGIN')
      ? createPublicKey({ key: text, format: 'pem' })
      : createPublicKey({ key: base64Der(text), format: 'der', type: 'spki' });
    return requireRsa(key, settingName);
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith(settingName)) throw error;
    throw new TypeError(
      `${settingName} could not be read as an RSA public key (PEM, or base64 X.509 SubjectPublicKeyInfo).`,
    );
  }
}

function base64Der(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not base64');
  return Buffer.from(compact, 'base64');
}

function requireRsa(key: KeyObject, settingName: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(
      `${settingName} must be an RSA key (RSA256); got ${key.asymmetricKeyType ?? 'an unknown'} key.`,
    );
  }
  return key;
}

/**
 * The exact bytes that are signed: `<METHOD> <PATH>\n<clientId>.<time>.<body>`. The body
 * is appended as bytes, so what is signed is byte-identical to what is sent.
 *
 * @example
 * ```ts
 * const path = '/ams/api/v1/payments/capture';
 * signedContent('post', path, 'SANDBOX_5YBZ0G2ZC0LE01234', '1767225600000', '{"paymentId":"p1"}');
 * // Buffer of: POST /ams/api/v1/payments/capture
 * //            SANDBOX_5YBZ0G2ZC0LE01234.1767225600000.{"paymentId":"p1"}
 * ```
 */
export function signedContent(
  method: string,
  path: string,
  clientId: string,
  time: string,
  body: Buffer | string,
): Buffer {
  // One buffer, written in place: no head buffer and no body copy made only to be concatenated
  // (every Antom and Alipay+ request, answer and webhook passes here).
  const head = `${method.toUpperCase()} ${path}\n${clientId}.${time}.`;
  const headLength = Buffer.byteLength(head, 'utf8');
  const bodyLength = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  const content = Buffer.allocUnsafe(headLength + bodyLength);
  content.write(head, 0, 'utf8');
  if (typeof body === 'string') content.write(body, headLength, 'utf8');
  else content.set(body, headLength);
  return content;
}

/**
 * SHA256withRSA over `content`, base64 encoded (not yet URL-encoded).
 *
 * @example
 * ```ts
 * const privateKey = loadPrivateKey(process.env.ANTOM_PRIVATE_KEY, 'ANTOM_PRIVATE_KEY');
 * const signature = signRsa256(signedContent('POST', path, clientId, time, body), privateKey);
 * const header = formatSignatureHeader(signature, 1); // the `signature` request header
 * ```
 */
export function signRsa256(content: Buffer, privateKey: KeyObject): string {
  return sign('sha256', content, privateKey).toString('base64');
}

/**
 * Verifies a base64 SHA256withRSA signature. Never throws; any malformed input is `false`.
 *
 * @example
 * ```ts
 * const ok = verifyRsa256(signedContent('POST', path, clientId, time, rawBody), parsed.signature, antomPublicKey);
 * ```
 */
export function verifyRsa256(
  content: Buffer,
  signatureBase64: string,
  publicKey: KeyObject,
): boolean {
  try {
    const signature = signatureBytes(signatureBase64);
    return signature !== undefined && verify('sha256', content, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * The bytes of a base64 signature, or `undefined` when it is empty or not canonical base64.
 * `Buffer.from(…, 'base64')` silently skips junk (spaces, base64url, anything after the
 * padding), so a valid signature followed by anything would still verify: accept only a
 * string that survives the round trip, padded or unpadded.
 */
export function signatureBytes(signatureBase64: unknown): Buffer | undefined {
  if (typeof signatureBase64 !== 'string') return undefined;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return undefined;
  const canonical = signature.toString('base64');
  if (canonical !== signatureBase64 && canonical.replace(/=+$/, '') !== signatureBase64) {
    return undefined;
  }
  return signature;
}

/**
 * A parsed `signature` header.
 *
 * @example
 * ```ts
 * const value = headerValue(request.headers, 'signature');
 * const header: SignatureHeader | undefined = parseSignatureHeader(value);
 * const valid = header !== undefined && verifyRsa256(content, header.signature, publicKey);
 * ```
 */
export interface SignatureHeader {
  readonly algorithm: string;
  readonly keyVersion: string | undefined;
  /** Base64, already URL-decoded. */
  readonly signature: string;
}

/**
 * Builds the header value. The base64 signature is URL-encoded (`+` → `%2B`, `/` → `%2F`,
 * `=` → `%3D`) as the providers require.
 *
 * @example
 * ```ts
 * formatSignatureHeader('abc+/=', 1); // 'algorithm=RSA256,keyVersion=1,signature=abc%2B%2F%3D'
 * ```
 */
export function formatSignatureHeader(
  signatureBase64: string,
  keyVersion: number | string = 1,
): string {
  return `algorithm=RSA256,keyVersion=${keyVersion},signature=${encodeURIComponent(signatureBase64)}`;
}

/**
 * Whether a signature header's `algorithm` names RSA256, in any case. The exact spelling is
 * compared first: headers nearly always carry it, and that skips a case-folded copy.
 */
export function isRsa256(algorithm: string): boolean {
  return algorithm === 'RSA256' || algorithm.toUpperCase() === 'RSA256';
}

/**
 * Parses `algorithm=RSA256,keyVersion=1,signature=...` (spaces after commas tolerated, as in
 * the Alipay+ examples). `undefined` when there is no `signature=` part.
 *
 * @example
 * ```ts
 * parseSignatureHeader('algorithm=RSA256, keyVersion=2, signature=abc%2B%2F%3D');
 * // { algorithm: 'RSA256', keyVersion: '2', signature: 'abc+/=' }
 * parseSignatureHeader('algorithm=RSA256'); // undefined
 * ```
 */
export function parseSignatureHeader(value: string | undefined): SignatureHeader | undefined {
  if (!value) return undefined;
  const parts = canonicalParts(value) ?? anyParts(value);
  if (!parts.raw) return undefined;
  const signature = percentDecoded(parts.raw);
  if (signature === undefined) return undefined;
  return { algorithm: parts.algorithm ?? 'RSA256', keyVersion: parts.keyVersion, signature };
}

/** The header's three parts, as written (the signature still URL-encoded). */
interface HeaderParts {
  algorithm: string | undefined;
  keyVersion: string | undefined;
  raw: string | undefined;
}

/**
 * The parts of a header written as the providers write it (`algorithm=…,keyVersion=…,
 * signature=…`, in any order, no spaces), read in place: no list of pieces and no trimmed,
 * case-folded copy of each name, which were most of this parser's cost on every Antom and
 * Alipay+ answer and webhook (bench/FINDINGS.md, session 5). `undefined` for anything else
 * (other names or spelling, spaces, empty parts): {@link anyParts} reads those, with the same
 * answers for these.
 */
function canonicalParts(value: string): HeaderParts | undefined {
  const parts: HeaderParts = { algorithm: undefined, keyVersion: undefined, raw: undefined };
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(',', start);
    if (end === -1) end = value.length;
    let part: string;
    if (value.startsWith('signature=', start)) part = parts.raw = value.slice(start + 10, end);
    else if (value.startsWith('algorithm=', start)) {
      part = parts.algorithm = value.slice(start + 10, end);
    } else if (value.startsWith('keyVersion=', start)) {
      part = parts.keyVersion = value.slice(start + 11, end);
    } else return undefined;
    // What `trim()` would change is left to the general reader.
    if (
      part.length > 0 &&
      (!plainEdge(part.charCodeAt(0)) || !plainEdge(part.charCodeAt(part.length - 1)))
    ) {
      return undefined;
    }
    start = end + 1;
  }
  return parts;
}

/** A printable ASCII character: never removed by `trim()`. */
function plainEdge(code: number): boolean {
  return code > 0x20 && code < 0x7f;
}

/** Any header: parts split on `,`, names trimmed and case-folded, values trimmed; the last of a repeated part wins. */
function anyParts(value: string): HeaderParts {
  const parts: HeaderParts = { algorithm: undefined, keyVersion: undefined, raw: undefined };
  for (const piece of value.split(',')) {
    const at = piece.indexOf('=');
    if (at <= 0) continue;
    const name = piece.slice(0, at).trim().toLowerCase();
    if (name === 'signature') parts.raw = piece.slice(at + 1).trim();
    else if (name === 'algorithm') parts.algorithm = piece.slice(at + 1).trim();
    else if (name === 'keyversion') parts.keyVersion = piece.slice(at + 1).trim();
  }
  return parts;
}

/**
 * `decodeURIComponent(value)`, or `undefined` where it would throw. A URL-encoded base64
 * signature holds only `%2B`, `%2F` and `%3D` (`+`, `/`, `=`): those are replaced here in one
 * pass, which costs a fraction of `decodeURIComponent` on a 344-character RSA-2048 signature
 * (about 1.5 µs of every Antom webhook; bench/FINDINGS.md, session 5). Any other escape goes
 * to `decodeURIComponent` itself.
 */
function percentDecoded(value: string): string | undefined {
  let at = value.indexOf('%');
  if (at === -1) return value;
  let decoded = '';
  let from = 0;
  while (at !== -1) {
    const char = base64Escape(value.charCodeAt(at + 1), value.charCodeAt(at + 2));
    if (char === undefined) {
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
    decoded += value.slice(from, at) + char;
    from = at + 3;
    at = value.indexOf('%', from);
  }
  return decoded + value.slice(from);
}

/** The character `%<high><low>` stands for when it is one of base64's `+`, `/`, `=`. */
function base64Escape(high: number, low: number): string | undefined {
  const upper = low & ~0x20; // 'b' → 'B': hex digits are case-insensitive
  if (high === 0x32 /* 2 */) {
    if (upper === 0x42 /* B */) return '+';
    if (upper === 0x46 /* F */) return '/';
  } else if (high === 0x33 /* 3 */ && upper === 0x44 /* D */) return '=';
  return undefined;
}
