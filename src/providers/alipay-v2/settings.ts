import type { KeyObject } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { defineSettings } from '../../provider-kit/define-settings.js';
import { KNOWN_PREFIXES } from './http.js';

/**
 * Settings for {@link alipayV2}.
 *
 * @example
 * ```ts
 * const settings: AlipayV2Settings = {
 *   clientId: '2022012345678901',
 *   privateKey: process.env.WALLET_MERCHANT_PRIVATE_KEY!,
 *   walletPublicKey: process.env.WALLET_PUBLIC_KEY!,
 *   baseUrl: 'https://wallet.example/acl/api',
 * };
 * ```
 */
export interface AlipayV2Settings {
  /** `Client-Id` the wallet assigned to you. */
  readonly clientId: string;
  /** Your RSA private key: PEM, bare base64 PKCS#8, or a `KeyObject`. Never logged. */
  readonly privateKey: string | KeyObject;
  /** The wallet's RSA public key (PEM, bare base64 SPKI, or a `KeyObject`): verifies every answer. */
  readonly walletPublicKey: string | KeyObject;
  /**
   * The wallet's API base URL INCLUDING its prefix: `https://{host}/api`, `https://{host}/acl/api`
   * (TNGD) or `https://{host}/api/open` (Alipay Connect, Rebell). Required: it differs by wallet.
   */
  readonly baseUrl: string;
  /** `keyVersion` in the Signature header. Default 1. */
  readonly keyVersion?: number | string;
  /** Whole-request deadline in ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** An undici dispatcher to use instead of a private keep-alive pool. */
  readonly dispatcher?: Dispatcher;
}

/**
 * Strict: an unknown key throws naming it. Values checked below keep their own sentences,
 * so they are `unknown` here; only the shape is zod's.
 */
const parseShape = defineSettings(
  'alipayV2',
  z.object({
    clientId: z.unknown().optional(),
    privateKey: z.unknown().optional(),
    walletPublicKey: z.unknown().optional(),
    baseUrl: z.unknown().optional(),
    keyVersion: z.unknown().optional(),
    timeoutMs: z.unknown().optional(),
    dispatcher: z.unknown().optional(),
  }),
);

/** {@link AlipayV2Settings} after checking. */
interface CheckedAlipayV2Settings {
  readonly clientId: string;
  readonly baseUrl: string;
  readonly keyVersion: string;
  readonly timeoutMs: number | undefined;
}

/** Checks {@link AlipayV2Settings}; throws a `TypeError` naming the setting, never its value. */
export function checkAlipayV2Settings(settings: AlipayV2Settings): CheckedAlipayV2Settings {
  parseShape(settings);
  const { clientId, baseUrl } = settings;
  if (typeof clientId !== 'string' || !/^[\x21-\x7E]{1,64}$/.test(clientId)) {
    throw new TypeError(
      'alipayV2({ clientId }) must be the Client-Id the wallet assigned: 1-64 printable characters without spaces.',
    );
  }
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new TypeError(
      `alipayV2({ baseUrl }) is required: the wallet's API base URL including its prefix, e.g. https://wallet.example/acl/api. Known prefixes: ${KNOWN_PREFIXES}.`,
    );
  }
  const keyVersion = String(settings.keyVersion ?? 1);
  if (!/^[1-9][0-9]{0,8}$/.test(keyVersion)) {
    throw new TypeError('alipayV2({ keyVersion }) must be a positive whole number (default 1).');
  }
  const timeoutMs = settings.timeoutMs;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError('alipayV2({ timeoutMs }) must be a positive whole number of milliseconds.');
  }
  return { clientId, baseUrl, keyVersion, timeoutMs };
}
