import type { KeyObject } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, type CaptureErrorCode, captureError } from '../../core/errors.js';
import { inquiryFailure } from '../../core/inquiry-failure.js';
import { retryAfterFrom } from '../../core/parse-retry-after.js';
import type { ExchangeStop } from '../../provider-kit/exchange-stop.js';
import { noReliableAnswer } from '../../provider-kit/no-reliable-answer.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { type Transport, transportFailureToCaptureError } from '../../provider-kit/transport.js';
import { ANTOM_UNSIGNED_REJECTION_CODES, mapAntomResult } from './map-antom-result.js';
import { antomApiPath, signAntomMessageAsync, verifyAntomMessageAsync } from './signing.js';

/** What the exchange needs from the adapter settings. */
interface AntomExchangeConfig {
  readonly clientId: string;
  readonly privateKey: KeyObject;
  readonly antomPublicKey: KeyObject;
  readonly keyVersion: number | string;
  readonly transport: Transport;
  /** false only when the caller explicitly opted out of response verification. */
  readonly verifyResponses: boolean;
  /** Clock for `request-time`; epoch ms. */
  readonly now: () => number;
}

/** One verified Antom answer: the parsed JSON, its HTTP status and (lower-case) headers. */
interface AntomAnswer {
  readonly status: number;
  readonly json: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

/** Which call the exchange is making; changes the advice in error messages. */
export type AntomOperation = 'capture' | 'resolve';

/**
 * Signs, sends and verifies one Antom API call; `body` is the exact JSON to sign and send
 * (serialized by the caller, before anything is dispatched). Everything that is not a
 * verified JSON answer becomes an `Err` with the honest outcome:
 * - never sent → `not_attempted`;
 * - sent, no answer / 5xx / bad or missing response signature → `unknown` (an unsigned
 *   HTTP 429 keeps the code `rate_limited`, still `unknown`: it cannot be trusted);
 * - an unsigned `SIGNATURE_INVALID` / `KEY_NOT_FOUND` / `CLIENT_INVALID` → Antom rejected the
 *   request at the door: `authentication_failed`, `failed`.
 * For `operation: 'resolve'` every one of these is about the inquiry, not the capture, so it
 * is `unknown` ({@link inquiryFailure}). `Retry-After` becomes `retryAfterMs`.
 *
 * @example
 * ```ts
 * const exchange = createAntomExchange(config);
 * const answer = await exchange.post('v1/payments/inquiryPayment', JSON.stringify({ paymentId }), 'resolve');
 * ```
 */
export function createAntomExchange(config: AntomExchangeConfig) {
  const kind = 'antom';

  /** No reliable answer. `what` is one clause without a full stop. */
  function unknown(
    operation: AntomOperation,
    code: CaptureErrorCode,
    what: string,
    extra: { readonly httpStatus: number; readonly retryAfterMs?: number },
  ): CaptureError {
    return noReliableAnswer({ kind, operation, inquiry: 'inquiryPayment', code, what, ...extra });
  }

  async function post(
    api: string,
    body: string,
    operation: AntomOperation,
    stop?: ExchangeStop,
  ): Promise<Result<AntomAnswer, CaptureError>> {
    const path = antomApiPath(config.clientId, api);
    const time = String(config.now());
    const headers = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': config.clientId,
      'request-time': time,
      signature: await signAntomMessageAsync(
        config.privateKey,
        { method: 'POST', path, clientId: config.clientId, time, body },
        config.keyVersion,
      ),
    };
    const sent = await config.transport.send({
      method: 'POST',
      path: `${config.transport.basePath}${path}`,
      headers,
      body,
      ...stop,
    });
    if (sent.isErr()) return err(transportFailureToCaptureError(sent.error, { kind, operation }));
    const response = sent.value;
    const httpStatus = response.status;
    const extra = { httpStatus, ...retryAfterFrom(response.headers) };
    if (httpStatus >= 500) {
      return err(unknown(operation, 'provider_error', `Antom answered HTTP ${httpStatus}`, extra));
    }
    const json = readJsonBody(response.body);

    if (config.verifyResponses) {
      const responseClientId = response.headers['client-id'];
      const check =
        responseClientId !== undefined && responseClientId !== config.clientId
          ? 'invalid'
          : await verifyAntomMessageAsync(config.antomPublicKey, response.headers.signature, {
              method: 'POST',
              path,
              clientId: config.clientId,
              time: response.headers['response-time'],
              body: response.body,
            });
      if (check !== 'valid') {
        const rejection = unsignedRejection(json);
        if (check === 'missing' && rejection) {
          const refused = captureError({
            ...mapAntomResult(rejection),
            code: 'authentication_failed',
            outcome: 'failed',
            ...extra,
          });
          if (operation === 'capture') return err(refused);
          return err(
            inquiryFailure({
              kind,
              inquiry: 'inquiryPayment',
              code: 'authentication_failed',
              reason: `Antom refused it with ${rejection.resultCode}`,
              fix: 'Check antom({ clientId, privateKey, keyVersion }) against the key registered with Antom',
              providerCode: rejection.resultCode,
              providerStatus: 'F',
              ...extra,
            }),
          );
        }
        if (check === 'missing' && httpStatus === 429) {
          return err(
            unknown(
              operation,
              'rate_limited',
              'Antom (or a gateway in front of it) answered HTTP 429 without a response signature, so even that refusal cannot be trusted',
              extra,
            ),
          );
        }
        return err(
          unknown(
            operation,
            'signature_invalid',
            check === 'missing'
              ? 'Antom\'s answer carried no response signature (headers "signature" and "response-time"), so it cannot be trusted'
              : "Antom's response signature did not verify with antom({ antomPublicKey }), so the answer cannot be trusted (check antomPublicKey if this repeats)",
            extra,
          ),
        );
      }
    }
    if (json === undefined) {
      return err(
        unknown(
          operation,
          'provider_error',
          `Antom answered HTTP ${httpStatus} with a body that is not JSON`,
          extra,
        ),
      );
    }
    return ok({ status: httpStatus, json, headers: response.headers });
  }

  return { post };
}

/** The exchange {@link createAntomExchange} returns. */
export type AntomExchange = ReturnType<typeof createAntomExchange>;

function unsignedRejection(json: unknown) {
  if (!json || typeof json !== 'object') return undefined;
  const result = (json as { result?: unknown }).result;
  if (!result || typeof result !== 'object') return undefined;
  const { resultCode, resultStatus, resultMessage } = result as Record<string, unknown>;
  if (typeof resultCode !== 'string' || !ANTOM_UNSIGNED_REJECTION_CODES.has(resultCode))
    return undefined;
  if (resultStatus !== 'F') return undefined;
  return {
    resultCode,
    resultStatus,
    resultMessage: typeof resultMessage === 'string' ? resultMessage : undefined,
  };
}
