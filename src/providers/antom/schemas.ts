import { z } from 'zod';
import { amountFields, resultFields } from '../alipay-family/result.js';

/*
 * Request-side schemas are strict: an unknown key or a value over Antom's documented limit
 * is refused by name before anything is sent. Response-side schemas are tolerant: every
 * field is `.nullish()` and unknown fields pass through, because Antom adds fields over time
 * and a missing optional field must not turn a real capture into an error.
 */

const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with offset, e.g. "2019-11-27T12:01:01+08:00"',
});

/** An address in a transit leg (seed: departureAddress / arrivalAddress). */
const transitAddressSchema = z.strictObject({
  region: text(2)
    .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO 3166 code such as "CN"')
    .optional(),
  state: text(8).optional(),
  city: text(32).optional(),
  address1: text(256).optional(),
  address2: text(256).optional(),
  // In the seed's airline example but not in its field list; limit ASSUMED.
  zipCode: text(32).optional(),
});

const transitLegSchema = z.strictObject({
  departureTime: isoDateTime.optional(),
  arrivalTime: isoDateTime.optional(),
  departureAddress: transitAddressSchema.optional(),
  arrivalAddress: transitAddressSchema.optional(),
  carrierNo: text(2).optional(),
  carrierName: text(128).optional(),
  departureAirportCode: text(3).optional(),
  arrivalAirportCode: text(3).optional(),
  fareBasis: text(16)
    .regex(/^[A-Z0-9 ]+$/, 'may contain only A-Z, 0-9 and spaces')
    .optional(),
  couponNumber: text(2).optional(),
  flightNumber: text(5).optional(),
});

/**
 * Trip data Antom accepts with a capture (airline, train, cruise, coach), with the field
 * limits of the capture API reference. Every scalar is a string, as Antom requires.
 *
 * @example
 * ```ts
 * antomTransitSchema.parse({ transitType: 'FLIGHT', ticketNumber: '02721187251' });
 * ```
 */
export const antomTransitSchema = z.strictObject({
  transitType: z
    .enum(['FLIGHT', 'TRAIN', 'CRUISE', 'COACH'], {
      error: 'must be one of "FLIGHT", "TRAIN", "CRUISE", "COACH"',
    })
    .optional(),
  agentCode: text(8).optional(),
  agentName: text(32).optional(),
  ticketNumber: text(15).optional(),
  ticketIssuerCode: text(2).optional(),
  restrictedTicketIndicator: z
    .enum(['0', '1'], { error: 'must be the string "0" (refundable) or "1" (not refundable)' })
    .optional(),
  legs: z.array(transitLegSchema).max(10, 'must have at most 10 legs').optional(),
  passenger: z
    .strictObject({
      passengerName: z
        .strictObject({
          firstName: text(32).optional(),
          middleName: text(32).optional(),
          lastName: text(32).optional(),
          fullName: text(128).optional(),
        })
        .optional(),
      passengerCode: text(32).optional(),
    })
    .optional(),
  ancillaryData: z
    .strictObject({
      connectedTicketNumber: text(15).optional(),
      services: z
        .array(
          z.strictObject({
            categoryCode: text(4).optional(),
            subCategoryCode: text(4).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/**
 * Trip data for `providerOptions.antom.transit`.
 *
 * @example
 * ```ts
 * const transit: AntomTransit = {
 *   transitType: 'FLIGHT',
 *   ticketNumber: '02721187251',
 *   legs: [{ carrierNo: 'CX', flightNumber: '0880', departureAirportCode: 'HKG' }],
 * };
 * await client.capture({ provider: 'antom', paymentId, providerOptions: { antom: { transit } } });
 * ```
 */
export type AntomTransit = z.infer<typeof antomTransitSchema>;

/**
 * `providerOptions.antom`: what the capture API documents beyond the neutral request.
 *
 * @example
 * ```ts
 * antomProviderOptionsSchema.parse({ captureType: 'FINAL', transit: { transitType: 'FLIGHT' } });
 * ```
 */
export const antomProviderOptionsSchema = z.strictObject({
  transit: antomTransitSchema.optional(),
  /**
   * Sent as given. The seed's airline example sends `"FINAL"`; other values are not
   * documented, so only upper-case words are accepted (ASSUMED).
   */
  captureType: z
    .string()
    .regex(/^[A-Z][A-Z_]{0,31}$/, 'must be an upper-case word such as "FINAL"')
    .optional(),
});

/**
 * `providerOptions.antom` in a capture request.
 *
 * @example
 * ```ts
 * const options: AntomProviderOptions = { transit: { transitType: 'TRAIN', agentName: 'Rail Co' } };
 * ```
 */
export type AntomProviderOptions = z.infer<typeof antomProviderOptionsSchema>;

const resultSchema = z.looseObject(resultFields).nullish();

const amountSchema = z.looseObject(amountFields).nullish();

/** Antom's answer to `capture`. */
export const antomCaptureResponseSchema = z.looseObject({
  result: resultSchema,
  captureRequestId: z.string().nullish(),
  captureId: z.string().nullish(),
  paymentId: z.string().nullish(),
  captureAmount: amountSchema,
  captureTime: z.string().nullish(),
  acquirerReferenceNo: z.string().nullish(),
});

/** Parsed `capture` response. */
export type AntomCaptureResponse = z.infer<typeof antomCaptureResponseSchema>;

/** One entry of `inquiryPayment.transactions[]`. */
const antomTransactionSchema = z.looseObject({
  transactionType: z.string().nullish(),
  transactionStatus: z.string().nullish(),
  transactionRequestId: z.string().nullish(),
  transactionId: z.string().nullish(),
  transactionAmount: amountSchema,
  transactionTime: z.string().nullish(),
  transactionResult: resultSchema,
});

/** Parsed `inquiryPayment.transactions[]` entry. */
export type AntomTransaction = z.infer<typeof antomTransactionSchema>;

/** Antom's answer to `inquiryPayment`. */
export const antomInquiryResponseSchema = z.looseObject({
  result: resultSchema,
  paymentId: z.string().nullish(),
  paymentRequestId: z.string().nullish(),
  paymentStatus: z.string().nullish(),
  paymentAmount: amountSchema,
  transactions: z.array(antomTransactionSchema).nullish(),
});

/** Parsed `inquiryPayment` response. */
export type AntomInquiryResponse = z.infer<typeof antomInquiryResponseSchema>;

/** The body of a `notifyCapture` request: the capture answer's fields plus `notifyType`. */
export const antomNotifyCaptureSchema = antomCaptureResponseSchema.extend({
  notifyType: z.string().nullish(),
});

/** Parsed `notifyCapture` body. */
export type AntomNotifyCapture = z.infer<typeof antomNotifyCaptureSchema>;
