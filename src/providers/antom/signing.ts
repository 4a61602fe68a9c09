import type { KeyObject } from 'node:crypto';
import { signRsa256Async, verifyRsa256Async } from '../../provider-kit/rsa-offload.js';
import {
  formatSignatureHeader,
  isRsa256,
  parseSignatureHeader,
  type SignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../provider-kit/rsa-signature.js';

/**
 * Antom's message signature: RSA256 over `<METHOD> <PATH>\n<client-id>.<time>.<body>`
 * (see `provider-kit/rsa-signature.ts`). Requests, responses and notifyCapture all use it; only
 * who signs (merchant or Antom) and which time header (`request-time` or `response-time`)
 * differ.
 */

/** The production API prefix; `SANDBOX_` client ids use {@link ANTOM_SANDBOX_PREFIX}. */
const ANTOM_API_PREFIX = '/ams/api/';
/** Where sandbox client ids are served. */
const ANTOM_SANDBOX_PREFIX = '/ams/sandbox/api/';

/** True for a client id Antom serves from its sandbox. */
export function isSandboxClientId(clientId: string): boolean {
  return clientId.startsWith('SANDBOX_');
}

/**
 * The API path for this client id: `/ams/api/v1/...` rewritten to `/ams/sandbox/api/v1/...`
 * for a `SANDBOX_` id. The rewrite happens before signing, so the signature covers it.
 *
 * @example
 * ```ts
 * antomApiPath('SANDBOX_5Y...', 'v1/payments/capture'); // '/ams/sandbox/api/v1/payments/capture'
 * ```
 */
export function antomApiPath(clientId: string, api: string): string {
  return `${isSandboxClientId(clientId) ? ANTOM_SANDBOX_PREFIX : ANTOM_API_PREFIX}${api}`;
}

/** What one signed Antom message is made of. */
interface AntomMessage {
  readonly method: string;
  /** The request path (the notify path for notifyCapture). */
  readonly path: string;
  readonly clientId: string;
  /** `request-time` or `response-time`, exactly as sent in the header. */
  readonly time: string;
  /** The exact body bytes. */
  readonly body: Buffer | string;
}

/**
 * Signs one message and returns the `signature` header value.
 *
 * @example
 * ```ts
 * const header = signAntomMessage(privateKey, { method: 'POST', path, clientId, time, body });
 * ```
 */
export function signAntomMessage(
  privateKey: KeyObject,
  message: AntomMessage,
  keyVersion: number | string = 1,
): string {
  return formatSignatureHeader(signRsa256(antomContent(message), privateKey), keyVersion);
}

/**
 * {@link signAntomMessage} off the event loop when many signatures are due at once
 * (`signRsa256Async`, `'auto'`): what the adapter uses per request.
 *
 * @example
 * ```ts
 * const header = await signAntomMessageAsync(privateKey, { method: 'POST', path, clientId, time, body });
 * ```
 */
export async function signAntomMessageAsync(
  privateKey: KeyObject,
  message: AntomMessage,
  keyVersion: number | string = 1,
): Promise<string> {
  return formatSignatureHeader(
    await signRsa256Async(antomContent(message), privateKey),
    keyVersion,
  );
}

function antomContent(message: AntomMessage): Buffer {
  return signedContent(message.method, message.path, message.clientId, message.time, message.body);
}

/** Result of checking one signature header. */
type AntomSignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Checks a `signature` header against a message. `missing` when there is no usable
 * header (or no time), `invalid` when it does not verify. Never throws.
 *
 * @example
 * ```ts
 * verifyAntomMessage(antomPublicKey, header, { method: 'POST', path, clientId, time, body }); // 'valid'
 * ```
 */
export function verifyAntomMessage(
  publicKey: KeyObject,
  signatureHeader: string | undefined,
  message: Omit<AntomMessage, 'time'> & { readonly time: string | undefined },
): AntomSignatureCheck {
  const header = usableHeader(signatureHeader, message.time);
  if (typeof header === 'string') return header;
  const { method, path, clientId, body } = message;
  // usableHeader answered 'missing' when there was no time.
  const content = signedContent(method, path, clientId, message.time as string, body);
  return verifyRsa256(content, header.signature, publicKey) ? 'valid' : 'invalid';
}

/**
 * {@link verifyAntomMessage} off the event loop when many verifications are due at once
 * (`verifyRsa256Async`, `'auto'`). Never rejects.
 *
 * @example
 * ```ts
 * await verifyAntomMessageAsync(antomPublicKey, header, { method: 'POST', path, clientId, time, body }); // 'valid'
 * ```
 */
export async function verifyAntomMessageAsync(
  publicKey: KeyObject,
  signatureHeader: string | undefined,
  message: Omit<AntomMessage, 'time'> & { readonly time: string | undefined },
): Promise<AntomSignatureCheck> {
  const header = usableHeader(signatureHeader, message.time);
  if (typeof header === 'string') return header;
  const { method, path, clientId, body } = message;
  // usableHeader answered 'missing' when there was no time.
  const content = signedContent(method, path, clientId, message.time as string, body);
  return (await verifyRsa256Async(content, header.signature, publicKey)) ? 'valid' : 'invalid';
}

/**
 * The parsed header, or why the message cannot be verified at all (no header or no time:
 * `missing`; not RSA256: `invalid`). The header itself, not a wrapper object: this runs on
 * every Antom answer and webhook.
 */
function usableHeader(
  signatureHeader: string | undefined,
  time: string | undefined,
): SignatureHeader | 'missing' | 'invalid' {
  const header = parseSignatureHeader(signatureHeader);
  if (!header || !time) return 'missing';
  if (!isRsa256(header.algorithm)) return 'invalid';
  return header;
}
