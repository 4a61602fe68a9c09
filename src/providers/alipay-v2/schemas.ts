import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { type Money, parseMinorUnits } from '../../core/money.js';
import { amountFields, resultFields } from '../alipay-family/result.js';

/**
 * `providerOptions.alipayV2`: strict, unknown keys are rejected by name.
 *
 * @example
 * ```ts
 * await client.capture({ provider: 'wallet', paymentId,
 *   providerOptions: { alipayV2: { extendInfo: '{"memo":"memo"}' } } });
 * ```
 */
export const alipayV2OptionsSchema = z.strictObject({
  /** Free text the wallet and merchant agree on; at most 4096 characters (seed). */
  extendInfo: z.string().max(4096, 'must be at most 4096 characters').optional(),
});

/**
 * The validated `providerOptions.alipayV2`.
 *
 * @example
 * ```ts
 * const options: AlipayV2Options = { extendInfo: '{"memo":"memo"}' };
 * ```
 */
export type AlipayV2Options = z.infer<typeof alipayV2OptionsSchema>;

/** `result` in every answer. Tolerant: wallets omit fields. */
export const resultSchema = z.object(resultFields);

/** An `Amount`; `value` is a digit string on the wire, a number is tolerated. */
export const amountSchema = z.object(amountFields);

/** Wire shape of an Amount as received. */
type WireAmount = z.infer<typeof amountSchema>;

/** Answer of `POST /v2/payments/capture` (seed). */
export const captureResponseSchema = z.object({
  result: resultSchema,
  captureRequestId: z.string().nullish(),
  captureId: z.string().nullish(),
  paymentId: z.string().nullish(),
  captureAmount: amountSchema.nullish(),
  captureTime: z.string().nullish(),
  extendInfo: z.string().nullish(),
});

/** One entry of `transactions[]` in an inquiry answer (ASSUMED: modelled on AMS v1). */
const transactionSchema = z.object({
  transactionType: z.string().nullish(),
  transactionRequestId: z.string().nullish(),
  transactionId: z.string().nullish(),
  transactionStatus: z.string().nullish(),
  transactionAmount: amountSchema.nullish(),
  transactionTime: z.string().nullish(),
  transactionResult: resultSchema.nullish(),
  /** ASSUMED echo of the capture's flag; absent means the seed's default, true. */
  isLastCapture: z.boolean().nullish(),
});

/** A parsed inquiry transaction. */
export type InquiryTransaction = z.infer<typeof transactionSchema>;

/** Answer of `POST /v2/payments/inquiryPayment` (ASSUMED: modelled on AMS v1). */
export const inquiryResponseSchema = z.object({
  result: resultSchema,
  paymentId: z.string().nullish(),
  paymentStatus: z.string().nullish(),
  paymentAmount: amountSchema.nullish(),
  transactions: z.array(transactionSchema).nullish(),
});

/**
 * Reads a wire amount into {@link Money}. `Ok(undefined)` when absent; `Err(reason)` when
 * present but not a currency plus a digit string (a number is accepted only if it is a safe
 * whole number).
 *
 * @example
 * ```ts
 * readWireAmount({ currency: 'USD', value: '1000' }); // Ok({ currency: 'USD', value: 1000n })
 * ```
 */
export function readWireAmount(
  amount: WireAmount | null | undefined,
): Result<Money | undefined, string> {
  if (!amount) return ok(undefined);
  if (typeof amount.currency !== 'string' || !/^[A-Z]{3}$/.test(amount.currency)) {
    return err(`currency ${JSON.stringify(amount.currency)} is not a three-letter code`);
  }
  const value = parseMinorUnits(amount.value);
  if (value.isErr()) return err(`value ${value.error}`);
  return ok({ currency: amount.currency, value: value.value });
}
