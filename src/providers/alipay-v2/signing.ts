import type { KeyObject } from 'node:crypto';
import { signRsa256Async, verifyRsa256Async } from '../../provider-kit/rsa-offload.js';
import {
  formatSignatureHeader,
  isRsa256,
  parseSignatureHeader,
  signedContent,
} from '../../provider-kit/rsa-signature.js';

/**
 * Alipay+ v2 signing on top of the shared RSA256 code in `provider-kit/rsa-signature.ts`. The signed
 * content is ASSUMED to be the AMS one (`<METHOD> <URI>\n<Client-Id>.<Request-Time>.<body>`);
 * the v2 pages show only the header format.
 */

/**
 * `Request-Time` as the v2 pages show it: ISO-8601 with milliseconds and a numeric offset,
 * e.g. `2019-04-04T12:08:56.253+00:00` (always UTC here).
 *
 * @example
 * ```ts
 * formatRequestTime(Date.parse('2019-04-04T12:08:56.253Z')); // '2019-04-04T12:08:56.253+00:00'
 * ```
 */
function formatRequestTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '+00:00');
}

/**
 * The `Signature` header with the `, ` separators the v2 pages show
 * (`algorithm=RSA256, keyVersion=1, signature=…`). The URL-encoded signature has no comma,
 * so spacing the separators cannot touch it.
 *
 * @example
 * ```ts
 * formatAlipayV2SignatureHeader('abc+/=', '1'); // 'algorithm=RSA256, keyVersion=1, signature=abc%2B%2F%3D'
 * ```
 */
function formatAlipayV2SignatureHeader(signatureBase64: string, keyVersion: string): string {
  return formatSignatureHeader(signatureBase64, keyVersion).replaceAll(',', ', ');
}

/** What verifying a wallet response found. */
type ResponseSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Signs requests with the merchant key and verifies answers with the wallet key; both off
 * the event loop when many are due at once (`signRsa256Async`, `'auto'`).
 */
export interface AlipayV2Signer {
  /** The four request headers for exactly these bytes. */
  requestHeaders(
    method: string,
    path: string,
    body: Buffer,
    epochMs: number,
  ): Promise<Record<string, string>>;
  /** Checks `signature` over `<METHOD> <path>\n<client-id>.<response-time>.<body>`. */
  verifyResponse(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
  ): Promise<ResponseSignatureCheck>;
}

/** Keys already parsed (once, at construction). */
interface AlipayV2SignerKeys {
  readonly clientId: string;
  readonly keyVersion: string;
  readonly privateKey: KeyObject;
  readonly walletPublicKey: KeyObject;
}

/**
 * Creates the signer the adapter uses for every call.
 *
 * @example
 * ```ts
 * const signer = createAlipayV2Signer({ clientId, keyVersion: '1', privateKey, walletPublicKey });
 * const headers = await signer.requestHeaders('POST', '/acl/api/v2/payments/capture', body, Date.now());
 * ```
 */
export function createAlipayV2Signer(keys: AlipayV2SignerKeys): AlipayV2Signer {
  return {
    async requestHeaders(method, path, body, epochMs) {
      const time = formatRequestTime(epochMs);
      const signature = await signRsa256Async(
        signedContent(method, path, keys.clientId, time, body),
        keys.privateKey,
      );
      return {
        'Content-Type': 'application/json; charset=UTF-8',
        'Client-Id': keys.clientId,
        'Request-Time': time,
        Signature: formatAlipayV2SignatureHeader(signature, keys.keyVersion),
      };
    },
    async verifyResponse(method, path, headers, body) {
      const parsed = parseSignatureHeader(headers.signature);
      if (!parsed) return 'missing';
      const time = headers['response-time'];
      if (!time || !isRsa256(parsed.algorithm)) return 'invalid';
      // ASSUMED as in AMS: the wallet signs with the client id it echoes, which is ours.
      const clientId = headers['client-id'] ?? keys.clientId;
      const content = signedContent(method, path, clientId, time, body);
      return (await verifyRsa256Async(content, parsed.signature, keys.walletPublicKey))
        ? 'valid'
        : 'invalid';
    },
  };
}
