import { z } from 'zod';

/**
 * `providerOptions.stripe`: strict, unknown keys are refused by name before anything is sent.
 *
 * @example
 * ```ts
 * await client.capture({ provider: 'stripe', paymentId: 'pi_…',
 *   providerOptions: { stripe: { statementDescriptorSuffix: 'ORDER 5023' } } });
 * ```
 */
export const stripeOptionsSchema = z.strictObject({
  /** `statement_descriptor_suffix`: at most 22 characters (card statements). */
  statementDescriptorSuffix: z.string().min(1).max(22, 'must be at most 22 characters').optional(),
  /** `application_fee_amount` (Connect), minor units as a whole number. */
  applicationFeeAmount: z.number().int().nonnegative().optional(),
});

/**
 * The validated `providerOptions.stripe`.
 *
 * @example
 * ```ts
 * const options: StripeOptions = { statementDescriptorSuffix: 'ORDER 5023' };
 * ```
 */
export type StripeOptions = z.infer<typeof stripeOptionsSchema>;

/** Whole minor units as Stripe writes them (a JSON integer). */
const minorUnits = z.number().int().nonnegative();

/** The PaymentIntent fields the adapter reads. Tolerant: everything else passes through. */
export const paymentIntentSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('payment_intent').optional(),
  amount: minorUnits,
  amount_capturable: minorUnits.nullish(),
  amount_received: minorUnits.nullish(),
  currency: z.string().min(3),
  status: z.string(),
  latest_charge: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  created: z.number().nullish(),
});

/** A parsed PaymentIntent. */
export type StripePaymentIntent = z.infer<typeof paymentIntentSchema>;

/** `{ error: { type, code, decline_code, message, param } }` of every Stripe error answer. */
export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    type: z.string().nullish(),
    code: z.string().nullish(),
    decline_code: z.string().nullish(),
    message: z.string().nullish(),
    param: z.string().nullish(),
  }),
});

/** A parsed Stripe error. */
export type StripeErrorBody = z.infer<typeof errorBodySchema>['error'];

/** An Event as delivered to a webhook endpoint. */
export const eventSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('event').optional(),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.looseObject({ object: z.unknown() }),
});

/**
 * A PaymentIntent (or an event carrying one) without its `client_secret`: the key a
 * browser uses to confirm the payment, which must not reach `raw`, logs or journals.
 *
 * @example
 * ```ts
 * withoutClientSecret({ id: 'pi_1', client_secret: 'pi_1_secret_x' }); // { id: 'pi_1' }
 * ```
 */
export function withoutClientSecret(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { client_secret: _secret, ...rest } = value as Record<string, unknown>;
  const data = rest.data;
  if (typeof data === 'object' && data !== null && 'object' in data) {
    return {
      ...rest,
      data: { ...data, object: withoutClientSecret((data as { object: unknown }).object) },
    };
  }
  return rest;
}
