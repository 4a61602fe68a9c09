import { z } from 'zod';

/**
 * `providerOptions.adyen`: fields passed through into the capture request body. Strict: an
 * unknown key is refused before anything is sent.
 *
 * @example
 * ```ts
 * await client.capture({ provider: 'adyen', paymentId, amount, providerOptions: {
 *   adyen: { lineItems: [{ id: 'sku-1', quantity: 1, amountIncludingTax: 3500 }] },
 * } });
 * ```
 */
export const adyenOptionsSchema = z.strictObject({
  /** Order lines (Klarna, Afterpay…), passed as is. */
  lineItems: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Split instructions (platforms), passed as is. */
  splits: z.array(z.record(z.string(), z.unknown())).optional(),
  /** Platform chargeback logic (platforms), passed as is. */
  platformChargebackLogic: z.record(z.string(), z.unknown()).optional(),
});

/**
 * What `providerOptions.adyen` may hold; see {@link adyenOptionsSchema}.
 *
 * @example
 * ```ts
 * const options: AdyenOptions = { splits: [{ type: 'Default', amount: { value: 3500 } }] };
 * ```
 */
export type AdyenOptions = z.infer<typeof adyenOptionsSchema>;

/** The `201` answer of `POST /payments/{paymentPspReference}/captures`. Tolerant. */
export const captureResponseSchema = z.looseObject({
  pspReference: z.string().min(1),
  paymentPspReference: z.string().optional(),
  status: z.string(),
  reference: z.string().nullish(),
  merchantAccount: z.string().nullish(),
  amount: z.looseObject({ value: z.number(), currency: z.string() }).nullish(),
});

/** Adyen's error body (`ServiceError`). Tolerant: every field optional. */
export const errorBodySchema = z.looseObject({
  status: z.number().nullish(),
  errorCode: z.string().nullish(),
  message: z.string().nullish(),
  errorType: z.string().nullish(),
  pspReference: z.string().nullish(),
});

/** {@link errorBodySchema} parsed. */
export type AdyenErrorBody = z.infer<typeof errorBodySchema>;

/** One `NotificationRequestItem` of a standard webhook. Tolerant. */
export const notificationItemSchema = z.looseObject({
  eventCode: z.string(),
  success: z.string(),
  pspReference: z.string(),
  originalReference: z.string().nullish(),
  merchantAccountCode: z.string(),
  merchantReference: z.string().nullish(),
  amount: z.looseObject({ value: z.number().nullish(), currency: z.string().nullish() }).nullish(),
  eventDate: z.string().nullish(),
  reason: z.string().nullish(),
  additionalData: z.record(z.string(), z.unknown()).nullish(),
});

/** {@link notificationItemSchema} parsed. */
export type AdyenNotificationItem = z.infer<typeof notificationItemSchema>;

/** A standard webhook delivery: `{ live, notificationItems: [{ NotificationRequestItem }] }`. */
export const notificationSchema = z.looseObject({
  live: z.string().nullish(),
  notificationItems: z.array(z.looseObject({ NotificationRequestItem: z.unknown() })),
});
