import { z } from 'zod';

const record = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/**
 * `providerOptions.checkout`: the optional capture body fields Checkout.com documents, sent
 * as given. Their inner shape is Checkout.com's to check; unknown top-level keys are refused
 * by name so a typo never silently drops a field.
 *
 * @example
 * ```ts
 * await client.capture({ provider: 'cko', paymentId, providerOptions: {
 *   checkout: { description: 'Order 5023', billing_descriptor: { name: 'SHOP', city: 'London' } },
 * } });
 * ```
 */
export const checkoutOptionsSchema = z.strictObject({
  customer: record.optional(),
  description: z.string({ error: 'must be a string' }).optional(),
  billing_descriptor: record.optional(),
  shipping: record.optional(),
  items: z.array(record, { error: 'must be an array of objects' }).optional(),
  processing: record.optional(),
  marketplace: record.optional(),
});

/**
 * What `providerOptions.checkout` may hold; see {@link checkoutOptionsSchema}.
 *
 * @example
 * ```ts
 * const options: CheckoutOptions = { description: 'Order 5023', items: [{ name: 'Socks', quantity: 2 }] };
 * ```
 */
export type CheckoutOptions = z.infer<typeof checkoutOptionsSchema>;

/** The names {@link checkoutOptionsSchema} accepts, for error messages. */
export const CHECKOUT_OPTION_KEYS: readonly string[] = Object.keys(checkoutOptionsSchema.shape);

/** `202` body of `POST /payments/{id}/captures` (and `/voids`). */
export const acceptedActionSchema = z.object({
  action_id: z.string().nullish(),
  reference: z.string().nullish(),
  _links: z.unknown().nullish(),
});

/** `4xx` body: `{ request_id, error_type, error_codes }`. */
export const errorBodySchema = z.object({
  request_id: z.string().nullish(),
  error_type: z.string().nullish(),
  error_codes: z.array(z.string()).nullish(),
});

/** The parsed error body, every field optional. */
export type CheckoutErrorBody = z.infer<typeof errorBodySchema>;

/** One entry of `GET /payments/{id}/actions`. */
export const paymentActionSchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  processed_on: z.string().nullish(),
  amount: z.number().nullish(),
  approved: z.boolean().nullish(),
  response_code: z.string().nullish(),
  response_summary: z.string().nullish(),
  reference: z.string().nullish(),
  /** Flat key/values; read defensively (a malformed value must not hide the list). */
  metadata: z.unknown().optional(),
});

/** One payment action, every field but `id` optional. */
export type CheckoutPaymentAction = z.infer<typeof paymentActionSchema>;

/** `GET /payments/{id}/actions`: a list, latest first. */
export const paymentActionsSchema = z.array(paymentActionSchema);

const balancesSchema = z.object({
  total_authorized: z.number().nullish(),
  total_voided: z.number().nullish(),
  available_to_void: z.number().nullish(),
  total_captured: z.number().nullish(),
  available_to_capture: z.number().nullish(),
  total_refunded: z.number().nullish(),
  available_to_refund: z.number().nullish(),
});

/** The parts of `GET /payments/{id}` the adapter reads. */
export const paymentDetailsSchema = z.object({
  id: z.string().nullish(),
  status: z.string().nullish(),
  amount: z.number().nullish(),
  currency: z.string().nullish(),
  balances: balancesSchema.nullish(),
});

/** The parsed payment details. */
export type CheckoutPaymentDetails = z.infer<typeof paymentDetailsSchema>;

/** A webhook body: `{ id, type, created_on, data: { id, action_id, … } }`. */
export const webhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.string().nullish(),
  created_on: z.string().nullish(),
  data: z
    .object({
      id: z.string().nullish(),
      action_id: z.string().nullish(),
      reference: z.string().nullish(),
      amount: z.number().nullish(),
      currency: z.string().nullish(),
      response_code: z.string().nullish(),
      response_summary: z.string().nullish(),
      processed_on: z.string().nullish(),
      metadata: z.unknown().optional(),
    })
    .nullish(),
});
