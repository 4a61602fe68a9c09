import { z } from 'zod';

const record = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/** Minor units as Checkout.com takes them: a JSON integer of at most 9 digits (bigint accepted). */
const minorUnits = z
  .union([z.number().int(), z.bigint()], {
    error: 'must be a whole number of minor units (number or bigint)',
  })
  .refine((value) => value >= 0 && value <= 999_999_999, {
    error: 'must be 0 to 999999999 minor units',
  })
  .transform((value) => Number(value));

const commissionSchema = z
  .strictObject({
    /** Fixed commission, minor units. */
    amount: minorUnits.optional(),
    /** Variable commission, a percentage of the amount (0–100). */
    percentage: z
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be 0 to 100' })
      .max(100, { error: 'must be 0 to 100' })
      .optional(),
  })
  .refine((c) => c.amount !== undefined || c.percentage !== undefined, {
    error: 'needs amount, percentage, or both',
  });

/**
 * One entry of `amount_allocations`: how much of the capture goes to one sub-entity, and
 * the platform's commission on it. Field names from Checkout.com's platform payment pages and
 * the official SDKs (see the provider README); checked strictly, so a misspelt field is an
 * error before anything is sent.
 *
 * @example
 * ```ts
 * const allocation = checkoutAmountAllocationSchema.parse({
 *   id: 'ent_w4jelhppmfiufdnatam37wrfc4', amount: 1000, reference: 'ORD-5023-4E89',
 *   commission: { amount: 100, percentage: 1.125 },
 * });
 * ```
 */
const checkoutAmountAllocationSchema = z.strictObject({
  /** The sub-entity id, `ent_…`. */
  id: z
    .string({ error: 'must be the sub-entity id (ent_…)' })
    .regex(/^ent_[A-Za-z0-9]+$/, { error: 'must be the sub-entity id (ent_…)' }),
  /** What the sub-entity is credited, minor units. */
  amount: minorUnits,
  reference: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .optional(),
  commission: commissionSchema.optional(),
});

/**
 * `providerOptions.checkout`: the optional capture body fields Checkout.com documents, sent
 * as given. `amount_allocations` is checked field by field; the other inner shapes are
 * Checkout.com's to check. Unknown top-level keys are refused by name so a typo never
 * silently drops a field.
 *
 * @example
 * ```ts
 * await client.capture({ provider: 'cko', paymentId, providerOptions: {
 *   checkout: { description: 'Order 5023', billing_descriptor: { name: 'SHOP', city: 'London' },
 *     amount_allocations: [{ id: 'ent_w4jelhppmfiufdnatam37wrfc4', amount: 3500,
 *       commission: { amount: 100 } }] },
 * } });
 * ```
 */
export const checkoutOptionsSchema = z
  .strictObject({
    customer: record.optional(),
    description: z.string({ error: 'must be a string' }).optional(),
    billing_descriptor: record.optional(),
    shipping: record.optional(),
    items: z.array(record, { error: 'must be an array of objects' }).optional(),
    processing: record.optional(),
    /** Deprecated by Checkout.com in favour of `amount_allocations`; kept for older integrations. */
    marketplace: record.optional(),
    /** Split of the capture among sub-entities (platforms); replaces `marketplace`. */
    amount_allocations: z
      .array(checkoutAmountAllocationSchema, { error: 'must be an array of allocations' })
      .min(1, { error: 'must hold at least one allocation' })
      .optional(),
  })
  .refine((o) => o.marketplace === undefined || o.amount_allocations === undefined, {
    error:
      'sets both marketplace and amount_allocations: send amount_allocations only (marketplace is deprecated)',
  });

/**
 * What `providerOptions.checkout` may hold; see {@link checkoutOptionsSchema}.
 *
 * @example
 * ```ts
 * const options: CheckoutOptions = { description: 'Order 5023', items: [{ name: 'Socks', quantity: 2 }] };
 * ```
 */
export type CheckoutOptions = z.input<typeof checkoutOptionsSchema>;

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
const paymentActionSchema = z.object({
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
