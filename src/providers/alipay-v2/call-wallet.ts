import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import {
  type CaptureError,
  type CaptureErrorInit,
  captureError,
  UNKNOWN_OUTCOME_ADVICE,
} from '../../core/errors.js';
import { type Transport, transportFailureToCaptureError } from '../../core/transport.js';
import { lookupAlipayV2Code } from './map-alipay-v2-result.js';
import { resultSchema } from './schemas.js';
import type { AlipayV2Signer } from './signing.js';

/** Endpoints below the wallet's base URL (which already carries `/api`, `/acl/api` or `/api/open`). */
export const ALIPAY_V2_ENDPOINTS = {
  capture: '/v2/payments/capture',
  inquiry: '/v2/payments/inquiryPayment',
  cancel: '/v2/payments/cancel',
} as const;

/** The prefixes wallets are known to use, for error messages. */
export const KNOWN_PREFIXES = '/api, /acl/api (TNGD) or /api/open (Alipay Connect, Rebell)';

/** Everything one call needs; built once by the factory. */
export interface AlipayV2Wallet {
  readonly transport: Transport;
  readonly signer: AlipayV2Signer;
}

/** Which public call a wallet call serves: it decides what an unreliable answer means. */
export type WalletOperation = 'capture' | 'resolve';

/** A verified answer: its HTTP status, its JSON as received, and that JSON read by the schema. */
export interface WalletAnswer<T> {
  readonly httpStatus: number;
  readonly json: unknown;
  readonly data: T;
}

// The wallet cannot sign these: it does not (yet) trust who is asking.
const UNSIGNED_REFUSALS = new Set(['SIGNATURE_INVALID', 'KEY_NOT_FOUND', 'CLIENT_INVALID']);

const KIND = 'alipayV2';

/**
 * Signs `payload`, POSTs it to `basePath + endpoint`, verifies the answer's signature with
 * the wallet key (fail closed) and reads it with `schema`. Every failure is already a
 * {@link CaptureError} with the honest outcome for `operation`.
 */
export async function callWallet<S extends z.ZodType>(
  wallet: AlipayV2Wallet,
  operation: WalletOperation,
  endpoint: string,
  payload: string,
  schema: S,
  signal?: AbortSignal,
): Promise<Result<WalletAnswer<z.infer<S>>, CaptureError>> {
  const path = `${wallet.transport.basePath}${endpoint}`;
  const body = Buffer.from(payload, 'utf8');
  const headers = wallet.signer.requestHeaders('POST', path, body, Date.now());
  const sent = await wallet.transport.send({
    method: 'POST',
    path,
    headers,
    body,
    ...(signal ? { signal } : {}),
  });
  if (sent.isErr())
    return err(transportFailureToCaptureError(sent.error, { kind: KIND, operation }));
  const response = sent.value;
  const httpStatus = response.status;
  if (httpStatus >= 500) {
    return err(
      noReliableAnswer(
        operation,
        'provider_error',
        `The wallet answered HTTP ${httpStatus}.`,
        httpStatus,
      ),
    );
  }
  const json = parseJson(response.body);
  const check = wallet.signer.verifyResponse('POST', path, response.headers, response.body);
  if (check !== 'valid') {
    const refused = check === 'missing' ? unsignedRefusal(json, httpStatus, path) : undefined;
    if (refused) return err(inquiryAware(operation, refused));
    return err(
      noReliableAnswer(
        operation,
        'signature_invalid',
        check === 'missing'
          ? `The wallet's answer (HTTP ${httpStatus}) carried no signature, so it cannot be trusted.`
          : `The wallet's answer (HTTP ${httpStatus}) has a signature that does not verify with alipayV2({ walletPublicKey }).`,
        httpStatus,
      ),
    );
  }
  const parsed = schema.safeParse(json);
  if (json === undefined || !parsed.success) {
    return err(
      noReliableAnswer(
        operation,
        'provider_error',
        `The wallet's answer (HTTP ${httpStatus}) ${json === undefined ? 'is not JSON' : 'has no readable result'}.`,
        httpStatus,
      ),
    );
  }
  return ok({ httpStatus, json, data: parsed.data });
}

/**
 * For a refused inquiry the capture's fate is still open, so a refusal becomes `unknown`:
 * the caller fixes the cause and resolves again. Captures keep the refusal as it is.
 */
export function inquiryAware(operation: WalletOperation, init: CaptureErrorInit): CaptureError {
  if (operation === 'capture') return captureError(init);
  return captureError({
    ...init,
    outcome: 'unknown',
    retryable: init.retryable ?? false,
    message: `inquiryPayment was refused: ${init.message} What became of the capture is still unknown: fix this, then call resolve() again.`,
  });
}

/** An answer that says nothing reliable about the capture (5xx, bad signature, garbage). */
export function noReliableAnswer(
  operation: WalletOperation,
  code: 'provider_error' | 'signature_invalid',
  what: string,
  httpStatus?: number,
): CaptureError {
  const advice =
    operation === 'capture'
      ? UNKNOWN_OUTCOME_ADVICE
      : 'The inquiry got no reliable answer; nothing changed at the wallet. Call resolve() again.';
  return captureError({
    code,
    outcome: 'unknown',
    kind: KIND,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    message: `${what} ${advice}`,
  });
}

function unsignedRefusal(
  json: unknown,
  httpStatus: number,
  path: string,
): CaptureErrorInit | undefined {
  const result = resultSchema.safeParse((json as { result?: unknown } | undefined)?.result);
  if (result.success) {
    const code = result.data.resultCode ?? '';
    const mapping = lookupAlipayV2Code(code);
    if (result.data.resultStatus === 'F' && UNSIGNED_REFUSALS.has(code) && mapping) {
      return {
        code: mapping.code,
        outcome: 'failed',
        kind: KIND,
        providerCode: code,
        providerStatus: 'F',
        httpStatus,
        message: `Alipay+ v2 answered ${code}/F. ${mapping.advice}`,
      };
    }
    return undefined;
  }
  // Not an Alipay+ answer at all: a gateway in front of the wallet refused the request.
  if (httpStatus === 404) {
    return {
      code: 'invalid_request',
      outcome: 'failed',
      kind: KIND,
      httpStatus,
      message: `Nothing answers at ${path} (HTTP 404): check that alipayV2({ baseUrl }) ends with the wallet's prefix, ${KNOWN_PREFIXES}.`,
    };
  }
  if (httpStatus === 429) {
    return {
      code: 'rate_limited',
      outcome: 'failed',
      retryable: true,
      kind: KIND,
      httpStatus,
      message:
        'The wallet rate limited the request (HTTP 429); nothing was captured. Wait, then retry.',
    };
  }
  return undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
