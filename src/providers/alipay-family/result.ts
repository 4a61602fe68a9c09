import { z } from 'zod';

/**
 * What Antom v1 and Alipay+ v2 share (both descend from Alipay's AMS API): the `result`
 * object of every answer, the `Amount` object, and the codes the gateway answers before it
 * looks at the request. Not exported from the package: each adapter re-exports what its
 * users see under its own name.
 */

/** The fields of `result` in every answer. Every one may be missing: gateways omit fields. */
export const resultFields = {
  resultCode: z.string().nullish(),
  resultStatus: z.string().nullish(),
  resultMessage: z.string().nullish(),
};

/** The fields of an `Amount`: `value` is a digit string on the wire, a number is tolerated. */
export const amountFields = {
  currency: z.string().nullish(),
  value: z.union([z.string(), z.number()]).nullish(),
};

/**
 * A `result` object as received (every field may be missing).
 *
 * @example
 * ```ts
 * const result: AlipayFamilyResult = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
 * ```
 */
export interface AlipayFamilyResult {
  readonly resultCode?: string | null | undefined;
  readonly resultStatus?: string | null | undefined;
  readonly resultMessage?: string | null | undefined;
}

/**
 * Codes the gateway answers before it looks at the request body. It cannot (or does not)
 * sign them, since it does not yet trust who is asking, and nothing was processed.
 */
export const UNSIGNED_REJECTION_CODES: ReadonlySet<string> = new Set([
  'SIGNATURE_INVALID',
  'KEY_NOT_FOUND',
  'CLIENT_INVALID',
]);

/** Looks a code up in a provider's code table without trusting the input. */
export function lookupResultCode<Row>(
  table: Readonly<Record<string, Row>>,
  code: string | null | undefined,
): Row | undefined {
  if (!code || !Object.hasOwn(table, code)) return undefined;
  return table[code];
}
