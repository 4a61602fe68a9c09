import type { Result } from 'neverthrow';
import type { CaptureError } from '../../core/errors.js';
import { formatMinorUnits } from '../../core/money.js';
import { serializeRequestBody } from '../../core/serialize-request-body.js';
import type { ProviderCaptureRequest } from '../../core/spec.js';
import type { AlipayV2Options } from './schemas.js';

/**
 * The exact bytes of the capture body, fields in the seed sample's order. `captureAmount`
 * only when an amount is given (omitted = full remaining amount). `isLastCapture` is a JSON
 * boolean and is sent only when false: true is the wallet's default, and leaving it out
 * keeps a final capture byte-identical to the seed sample. Serialized before anything is
 * sent, so a body that cannot be JSON is refused by name (`not_attempted`).
 *
 * @example
 * ```ts
 * buildCaptureBody({ paymentId: 'p1', idempotencyKey: 'k1', final: false,
 *   amount: { currency: 'USD', value: 50n } }, {});
 * // Ok('{"captureRequestId":"k1","paymentId":"p1","captureAmount":{"value":"50","currency":"USD"},"isLastCapture":false}')
 * ```
 */
export function buildCaptureBody(
  request: Pick<
    ProviderCaptureRequest,
    'paymentId' | 'idempotencyKey' | 'final' | 'amount' | 'providerOptions'
  >,
  options: AlipayV2Options,
): Result<string, CaptureError> {
  const fields = {
    captureRequestId: request.idempotencyKey,
    paymentId: request.paymentId,
    ...(request.amount
      ? {
          captureAmount: {
            value: formatMinorUnits(request.amount.value),
            currency: request.amount.currency,
          },
        }
      : {}),
    ...(request.final ? {} : { isLastCapture: false }),
    ...(options.extendInfo !== undefined ? { extendInfo: options.extendInfo } : {}),
  };
  return serializeRequestBody('alipayV2', fields, request.providerOptions);
}
