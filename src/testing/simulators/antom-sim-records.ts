import type { Money } from '../../core/money.js';
import type { Fault } from '../harness.js';
import type { AntomSimResult } from './antom-wire.js';

/** The records the Antom simulator's ledger keeps, and the contract it enforces. */

/**
 * What the merchant's Antom contract allows (mirrors `antom({ contract })`).
 *
 * @example
 * ```ts
 * const contract: AntomSimContract = {
 *   partialCapture: true, multipleCaptures: true, maxCaptures: 3,
 * };
 * const sim = await startAntomSimulator({ contract });
 * const adapter = antom({
 *   ...sim.credentials,
 *   baseUrl: sim.baseUrl,
 *   contract: { partialCapture: true, multipleCaptures: true },
 * });
 * ```
 */
export interface AntomSimContract {
  readonly partialCapture?: boolean;
  readonly multipleCaptures?: boolean;
  /** Captures one payment accepts before PAYMENT_COUNT_EXCEED_LIMIT. Default 10 (ASSUMED). */
  readonly maxCaptures?: number;
}

/** One authorized payment. */
export interface AntomSimPayment {
  readonly paymentId: string;
  readonly paymentRequestId: string;
  readonly amount: Money;
  readonly captureMode: 'MANUAL' | 'AUTOMATIC';
  readonly authorizedAt: number;
  readonly paymentMethodType: string;
  readonly cardBrand?: string;
  readonly issuerCountry?: string;
  /** `merchant`: the cancel API (ORDER_IS_CANCELED); `authorization`: voided upstream (AUTH_CANCELLED). */
  cancelled?: 'merchant' | 'authorization';
  cancelTime?: string;
  /** A capture with isLastCapture "true" (or any capture, without multiple captures) closed it. */
  closed: boolean;
}

/** One capture attempt, stored under its `captureRequestId` for idempotent replay. */
export interface AntomSimCapture {
  readonly captureRequestId: string;
  readonly paymentId: string;
  /** Canonical JSON of the request body: a different one under the same id is REPEAT_REQ_INCONSISTENT. */
  readonly fingerprint: string;
  readonly captureId: string;
  readonly amount: Money;
  readonly isLast: boolean;
  /** The final result (what an inquiry shows once `processing` is over). */
  readonly result: AntomSimResult;
  /** Answered U and not yet final: inquiries show PROCESSING. */
  processing: boolean;
  /** The U code answered while processing. */
  readonly processingCode?: string;
  /** Inquiries seen while processing; the second one finalizes it. */
  inquiries: number;
  readonly captureTime: string;
  readonly acquirerReferenceNo: string;
  /** A webhook fault taken when the capture was made, applied to its notifyCapture. */
  readonly webhookFault?: Fault;
}
