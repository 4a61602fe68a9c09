import { match } from 'ts-pattern';
import { type CaptureErrorInit, UNKNOWN_OUTCOME_ADVICE } from '../../core/errors.js';
import { lookupResultCode } from '../alipay-family/result.js';

import { ALIPAY_V2_RESULT_CODES, type AlipayV2CodeMapping } from './result-codes.js';

/**
 * The wallet's `result` object as received (every field may be missing).
 *
 * @example
 * ```ts
 * const result: AlipayV2Result = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
 * ```
 */
export interface AlipayV2Result {
  readonly resultCode?: string | null | undefined;
  readonly resultStatus?: string | null | undefined;
  readonly resultMessage?: string | null | undefined;
}

/**
 * What a `result` means for the capture.
 *
 * @example
 * ```ts
 * const verdict: AlipayV2Verdict = mapAlipayV2Result({ resultStatus: 'A' }); // { kind: 'pending' }
 * ```
 */
export type AlipayV2Verdict =
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'error'; readonly error: CaptureErrorInit };

/**
 * Looks a code up in {@link ALIPAY_V2_RESULT_CODES}; `undefined` for an unlisted code.
 *
 * @example
 * ```ts
 * lookupAlipayV2Code('RISK_REJECT')?.code; // 'risk_rejected'
 * ```
 */
export function lookupAlipayV2Code(
  code: string | null | undefined,
): AlipayV2CodeMapping | undefined {
  return lookupResultCode<AlipayV2CodeMapping>(ALIPAY_V2_RESULT_CODES, code);
}

/**
 * Maps a capture `result` to a verdict. `S` succeeds; `A` (accepted, answered by some
 * wallets) is pending; `U` is always an unknown outcome; `F` fails with the code from the
 * table. An unlisted code keeps `providerCode` and maps by its status; a status that is not
 * S/A/F/U is treated as unknown, because money may have moved.
 *
 * @example
 * ```ts
 * mapAlipayV2Result({ resultCode: 'RISK_REJECT', resultStatus: 'F' });
 * // { kind: 'error', error: { code: 'risk_rejected', outcome: 'failed', … } }
 * ```
 */
export function mapAlipayV2Result(result: AlipayV2Result): AlipayV2Verdict {
  const providerCode = result.resultCode ?? undefined;
  const status = result.resultStatus ?? '';
  const known = lookupAlipayV2Code(providerCode);
  return match(status)
    .with('S', (): AlipayV2Verdict => ({ kind: 'succeeded' }))
    .with('A', (): AlipayV2Verdict => ({ kind: 'pending' }))
    .with('F', (): AlipayV2Verdict => {
      // A code documented as U stays unknown even if a wallet labels it F: the safe side.
      const mapping = known ?? {
        code: 'provider_error' as const,
        outcome: 'failed' as const,
        advice:
          'The wallet declined the capture with a code this library does not know; nothing was captured.',
      };
      return { kind: 'error', error: describe(mapping, providerCode, 'F', result.resultMessage) };
    })
    .otherwise((): AlipayV2Verdict => {
      const mapping =
        known?.outcome === 'unknown'
          ? known
          : {
              code: 'outcome_unknown' as const,
              outcome: 'unknown' as const,
              advice: UNKNOWN_OUTCOME_ADVICE,
            };
      return {
        kind: 'error',
        error: describe(mapping, providerCode, status || undefined, result.resultMessage),
      };
    });
}

function describe(
  mapping: Pick<AlipayV2CodeMapping, 'code' | 'outcome' | 'advice' | 'retryable'>,
  providerCode: string | undefined,
  providerStatus: string | undefined,
  resultMessage: string | null | undefined,
): CaptureErrorInit {
  const said = resultMessage ? ` (“${resultMessage}”)` : '';
  const label = `${providerCode ?? 'no resultCode'}${providerStatus ? `/${providerStatus}` : ''}`;
  return {
    code: mapping.code,
    outcome: mapping.outcome,
    ...(mapping.retryable !== undefined ? { retryable: mapping.retryable } : {}),
    kind: 'alipayV2',
    ...(providerCode ? { providerCode } : {}),
    ...(providerStatus ? { providerStatus } : {}),
    message: `Alipay+ v2 answered ${label}${said}. ${mapping.advice}`,
  };
}
