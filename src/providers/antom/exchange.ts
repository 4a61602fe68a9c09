import type { KeyObject } from 'node:crypto';
import { err, ok, type Result } from 'neverthrow';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from '../../core/errors.js';
import { type Transport, transportFailureToCaptureError } from '../../core/transport.js';
import { ANTOM_UNSIGNED_REJECTION_CODES, mapAntomResult } from './map-antom-result.js';
import { antomApiPath, signAntomMessage, verifyAntomMessage } from './signing.js';

/** What the exchange needs from the adapter settings. */
export interface AntomExchangeConfig {
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

/** One verified Antom answer: the parsed JSON and its HTTP status. */
export interface AntomAnswer {
  readonly status: number;
  readonly json: unknown;
}

/** Which call the exchange is making; changes the advice in error messages. */
export type AntomOperation = 'capture' | 'resolve';

/**
 * Signs, sends and verifies one Antom API call. Everything that is not a verified JSON
 * answer becomes an `Err` with the honest outcome:
 * - never sent → `not_attempted`;
 * - sent, no answer / 5xx / bad or missing response signature → `unknown`;
 * - an unsigned `SIGNATURE_INVALID` / `KEY_NOT_FOUND` / `CLIENT_INVALID` → Antom rejected the
 *   request at the door: `authentication_failed`, `failed`.
 *
 * @example
 * ```ts
 * const exchange = createAntomExchange(config);
 * const answer = await exchange.post('v1/payments/inquiryPayment', { paymentId }, 'resolve');
 * ```
 */
export function createAntomExchange(config: AntomExchangeConfig) {
  const kind = 'antom';

  function unknown(operation: AntomOperation, message: string, extra: Partial<CaptureError> = {}) {
    const advice =
      operation === 'capture'
        ? UNKNOWN_OUTCOME_ADVICE
        : 'The inquiry got no reliable answer; nothing changed at Antom. Call resolve() again.';
    return captureError({
      code: 'provider_error',
      outcome: 'unknown',
      kind,
      ...extra,
      message: `${message} ${advice}`,
    });
  }

  async function post(
    api: string,
    payload: unknown,
    operation: AntomOperation,
    signal?: AbortSignal,
  ): Promise<Result<AntomAnswer, CaptureError>> {
    const path = antomApiPath(config.clientId, api);
    const body = JSON.stringify(payload);
    const time = String(config.now());
    const headers = {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': config.clientId,
      'request-time': time,
      signature: signAntomMessage(
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
      ...(signal ? { signal } : {}),
    });
    if (sent.isErr()) return err(transportFailureToCaptureError(sent.error, { kind, operation }));
    const response = sent.value;
    const httpStatus = response.status;
    if (httpStatus >= 500) {
      return err(unknown(operation, `Antom answered HTTP ${httpStatus}.`, { httpStatus }));
    }
    const json = parseJson(response.body);

    if (config.verifyResponses) {
      const responseClientId = response.headers['client-id'];
      const check =
        responseClientId !== undefined && responseClientId !== config.clientId
          ? 'invalid'
          : verifyAntomMessage(config.antomPublicKey, response.headers.signature, {
              method: 'POST',
              path,
              clientId: config.clientId,
              time: response.headers['response-time'],
              body: response.body,
            });
      if (check !== 'valid') {
        const rejection = unsignedRejection(json);
        if (check === 'missing' && rejection) {
          return err(
            captureError({
              ...mapAntomResult(rejection),
              code: 'authentication_failed',
              outcome: 'failed',
              httpStatus,
            }),
          );
        }
        return err(
          unknown(
            operation,
            check === 'missing'
              ? 'Antom\'s answer carried no response signature (headers "signature" and "response-time"), so it cannot be trusted.'
              : "Antom's response signature did not verify with antom({ antomPublicKey }), so the answer cannot be trusted. Check antomPublicKey if this repeats.",
            { code: 'signature_invalid', httpStatus },
          ),
        );
      }
    }
    if (json === undefined) {
      return err(
        unknown(operation, `Antom answered HTTP ${httpStatus} with a body that is not JSON.`, {
          httpStatus,
        }),
      );
    }
    return ok({ status: httpStatus, json });
  }

  return { post, clientId: config.clientId };
}

/** The exchange {@link createAntomExchange} returns. */
export type AntomExchange = ReturnType<typeof createAntomExchange>;

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

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
