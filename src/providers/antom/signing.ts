import type { KeyObject } from 'node:crypto';
import {
  formatSignatureHeader,
  parseSignatureHeader,
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
  const content = signedContent(
    message.method,
    message.path,
    message.clientId,
    message.time,
    message.body,
  );
  return formatSignatureHeader(signRsa256(content, privateKey), keyVersion);
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
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed || !message.time) return 'missing';
  if (parsed.algorithm.toUpperCase() !== 'RSA256') return 'invalid';
  const content = signedContent(
    message.method,
    message.path,
    message.clientId,
    message.time,
    message.body,
  );
  return verifyRsa256(content, parsed.signature, publicKey) ? 'valid' : 'invalid';
}
