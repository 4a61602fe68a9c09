import { match, P } from 'ts-pattern';
import { type CaptureError, captureError, UNKNOWN_OUTCOME_ADVICE } from '../../core/errors.js';
import {
  type AlipayFamilyResult,
  lookupResultCode,
  UNSIGNED_REJECTION_CODES,
} from '../alipay-family/result.js';

import { ANTOM_RESULT_CODES, type AntomCodeMapping, TECH_SUPPORT } from './result-codes.js';

/**
 * Codes Antom answers before it looks at the request body; such answers carry no
 * response signature (Antom cannot or does not sign them), and nothing was processed.
 */
export const ANTOM_UNSIGNED_REJECTION_CODES: ReadonlySet<string> = UNSIGNED_REJECTION_CODES;

/** Antom's `result` object, as parsed (every field may be missing). */
export type AntomResult = AlipayFamilyResult;

/** Looks a code up in {@link ANTOM_RESULT_CODES} without trusting the input. */
export function lookupAntomCode(code: string | null | undefined): AntomCodeMapping | undefined {
  return lookupResultCode<AntomCodeMapping>(ANTOM_RESULT_CODES, code);
}

/**
 * Turns a non-success Antom `result` into the neutral error. The outcome is the safer of
 * what the table documents and what the answer says: if either says U, money may have
 * moved, so the outcome is `unknown` and the message says to resolve, never to use a new
 * key. An unlisted code keeps `providerCode` and maps by its status.
 *
 * @example
 * ```ts
 * mapAntomResult({ resultCode: 'RISK_REJECT', resultStatus: 'F', resultMessage: 'risk' });
 * // → { code: 'risk_rejected', outcome: 'failed', providerCode: 'RISK_REJECT', … }
 * ```
 */
export function mapAntomResult(result: AntomResult): CaptureError {
  const providerCode = result.resultCode ?? undefined;
  const status = result.resultStatus ?? undefined;
  const listed = lookupAntomCode(providerCode);
  const said = result.resultMessage ? ` (Antom: ${result.resultMessage})` : '';
  const label = providerCode ?? 'no result code';

  const mapped = match({ status, listed })
    .with({ status: 'U' }, { listed: { status: 'U' } }, ({ listed: row }) => ({
      code: row?.outcome === 'unknown' ? row.code : ('outcome_unknown' as const),
      outcome: 'unknown' as const,
      advice: row?.outcome === 'unknown' ? row.advice : UNKNOWN_OUTCOME_ADVICE,
    }))
    .with({ status: 'F', listed: P.nonNullable }, ({ listed: row }) => row)
    .with({ status: 'F' }, () => ({
      code: 'provider_error' as const,
      outcome: 'failed' as const,
      advice: `Antom declined the capture with a code this library does not know. ${TECH_SUPPORT}`,
    }))
    .otherwise(() => ({
      code: 'provider_error' as const,
      outcome: 'unknown' as const,
      advice: `Antom's answer had no usable result status. ${UNKNOWN_OUTCOME_ADVICE}`,
    }));

  return captureError({
    code: mapped.code,
    outcome: mapped.outcome,
    kind: 'antom',
    ...(providerCode ? { providerCode } : {}),
    ...(status ? { providerStatus: status } : {}),
    message: `Antom answered ${label}/${status ?? '?'}${said}. ${mapped.advice}`,
  });
}
