import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import {
  type CaptureError,
  type CaptureErrorCode,
  type CaptureErrorInit,
  captureError,
} from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ExchangeStop } from '../../provider-kit/exchange-stop.js';
import {
  noReliableAnswer as noReliableAnswerOf,
  unknownOutcomeMessage,
} from '../../provider-kit/no-reliable-answer.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { type Transport, transportFailureToCaptureError } from '../../provider-kit/transport.js';
import { UNSIGNED_REJECTION_CODES } from '../alipay-family/result.js';
import { lookupAlipayV2Code } from './map-alipay-v2-result.js';
import { resultSchema } from './schemas.js';
import type { AlipayV2Signer } from './signing.js';

/** Endpoints below the wallet's base URL (which already carries `/api`, `/acl/api` or `/api/open`). */
export const ALIPAY_V2_ENDPOINTS = {
  capture: '/v2/payments/capture',
  inquiry: '/v2/payments/inquiryPayment',
} as const;

/** The prefixes wallets are known to use, for error messages. */
export const KNOWN_PREFIXES = '/api, /acl/api (TNGD) or /api/open (Alipay Connect, Rebell)';

/** Everything one call needs; built once by the factory. */
export interface AlipayV2Wallet {
  readonly transport: Transport;
  readonly signer: AlipayV2Signer;
}

/** Which public call a wallet call serves: it decides what an unreliable answer means. */
type WalletOperation = 'capture' | 'resolve';

/** A verified answer: its HTTP status, its JSON as received, and that JSON read by the schema. */
interface WalletAnswer<T> {
  readonly httpStatus: number;
  readonly json: unknown;
  readonly data: T;
  /** `retryAfterMs` from the answer's `Retry-After`, ready to spread into an error. */
  readonly wait: { readonly retryAfterMs?: number };
}

/** What every error built from one answer keeps. */
interface AnswerFacts {
  readonly httpStatus: number;
  readonly retryAfterMs?: number;
}

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
  stop?: ExchangeStop,
): Promise<Result<WalletAnswer<z.infer<S>>, CaptureError>> {
  const path = `${wallet.transport.basePath}${endpoint}`;
  const body = Buffer.from(payload, 'utf8');
  const headers = await wallet.signer.requestHeaders('POST', path, body, Date.now());
  const sent = await wallet.transport.send({
    method: 'POST',
    path,
    headers,
    body,
    ...stop,
  });
  if (sent.isErr())
    return err(transportFailureToCaptureError(sent.error, { kind: KIND, operation }));
  const response = sent.value;
  const httpStatus = response.status;
  const facts: AnswerFacts = { httpStatus, ...retryAfterFrom(response.headers) };
  if (httpStatus >= 500) {
    return err(
      noReliableAnswer(
        operation,
        'provider_error',
        `The wallet answered HTTP ${httpStatus}.`,
        facts,
      ),
    );
  }
  const json = readJsonBody(response.body);
  const check = await wallet.signer.verifyResponse('POST', path, response.headers, response.body);
  if (check !== 'valid') {
    const refused = check === 'missing' ? unsignedRefusal(json, facts, path) : undefined;
    if (refused) return err(inquiryAware(operation, refused.init, refused.fix));
    return err(
      noReliableAnswer(
        operation,
        'signature_invalid',
        check === 'missing'
          ? `The wallet's answer (HTTP ${httpStatus}) carried no signature, so it cannot be trusted.`
          : `The wallet's answer (HTTP ${httpStatus}) has a signature that does not verify with alipayV2({ walletPublicKey }).`,
        facts,
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
        facts,
      ),
    );
  }
  const wait = facts.retryAfterMs !== undefined ? { retryAfterMs: facts.retryAfterMs } : {};
  return ok({ httpStatus, json, data: parsed.data, wait });
}

/**
 * A refusal means what it says for a capture. For an inquiry it says nothing about the
 * capture, whose state is still unknown ({@link inquiryFailure}): the refusal's code,
 * `httpStatus` and `retryAfterMs` are kept, and `fix` (naming a setting) is passed on.
 */
export function inquiryAware(
  operation: WalletOperation,
  init: CaptureErrorInit,
  fix?: string,
): CaptureError {
  if (operation === 'capture') return captureError(init);
  const label = init.providerCode
    ? `${init.providerCode}${init.providerStatus ? `/${init.providerStatus}` : ''}`
    : `HTTP ${init.httpStatus ?? '?'}`;
  return inquiryFailure({
    kind: KIND,
    inquiry: 'inquiryPayment',
    code: init.code,
    reason: `the wallet answered ${label}`,
    ...(fix ? { fix } : {}),
    ...(init.httpStatus !== undefined ? { httpStatus: init.httpStatus } : {}),
    ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
    ...(init.providerCode !== undefined ? { providerCode: init.providerCode } : {}),
    ...(init.providerStatus !== undefined ? { providerStatus: init.providerStatus } : {}),
  });
}

/** An answer that says nothing reliable about the capture (5xx, bad signature, garbage). */
export function noReliableAnswer(
  operation: WalletOperation,
  code: CaptureErrorCode,
  what: string,
  facts?: AnswerFacts,
): CaptureError {
  return noReliableAnswerOf({
    kind: KIND,
    operation,
    inquiry: 'inquiryPayment',
    code,
    what,
    ...facts,
  });
}

function unsignedRefusal(
  json: unknown,
  facts: AnswerFacts,
  path: string,
): { readonly init: CaptureErrorInit; readonly fix?: string } | undefined {
  const { httpStatus } = facts;
  const result = resultSchema.safeParse((json as { result?: unknown } | undefined)?.result);
  if (result.success) {
    const code = result.data.resultCode ?? '';
    const mapping = lookupAlipayV2Code(code);
    if (result.data.resultStatus === 'F' && UNSIGNED_REJECTION_CODES.has(code) && mapping) {
      return {
        init: {
          code: mapping.code,
          outcome: 'failed',
          kind: KIND,
          providerCode: code,
          providerStatus: 'F',
          ...facts,
          message: `Alipay+ v2 answered ${code}/F. ${mapping.advice}`,
        },
        fix: mapping.advice.replace(/\.$/, ''),
      };
    }
    return undefined;
  }
  // Not an Alipay+ answer at all: a gateway in front of the wallet refused the request.
  if (httpStatus === 404) {
    const fix = `Check that alipayV2({ baseUrl }) ends with the wallet's prefix, ${KNOWN_PREFIXES}`;
    return {
      init: {
        code: 'invalid_request',
        outcome: 'failed',
        kind: KIND,
        ...facts,
        message: `Nothing answers at ${path} (HTTP 404): check that alipayV2({ baseUrl }) ends with the wallet's prefix, ${KNOWN_PREFIXES}.`,
      },
      fix,
    };
  }
  if (httpStatus === 429) {
    return {
      init: {
        code: 'rate_limited',
        outcome: 'failed',
        retryable: true,
        kind: KIND,
        ...facts,
        message:
          'The wallet rate limited the request (HTTP 429); nothing was captured. Wait, then retry.',
      },
    };
  }
  if (httpStatus === 401 || httpStatus === 403) {
    // Unsigned, so not trusted as a verdict on a capture (it stays unknown), but its code
    // says what to look at.
    const code = httpStatus === 401 ? 'authentication_failed' : 'access_denied';
    const fix =
      httpStatus === 401
        ? 'Check alipayV2({ clientId, privateKey, keyVersion }) and any gateway credentials in front of the wallet'
        : 'Check that this client may call the wallet at alipayV2({ baseUrl })';
    return {
      init: {
        code,
        outcome: 'unknown',
        kind: KIND,
        ...facts,
        message: unknownOutcomeMessage(
          `The wallet (or a gateway in front of it) answered HTTP ${httpStatus} without a signature, so it cannot be trusted as a refusal`,
          fix,
        ),
      },
      fix,
    };
  }
  return undefined;
}
