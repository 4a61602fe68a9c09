import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { Pool } from 'undici';
import { checkoutCaptureRequest } from './checkout-capture-request.js';
import type { Contender } from './measure.js';
import { paymentAt, type SimProcess, simContender } from './sim-client.js';

/**
 * The floor of a journaled capture: the least any library can do that keeps DESIGN §0's
 * promise the way capture-kit does, built on raw undici. Before sending, it refuses a key or
 * payment it already holds and records the capture as `sending`; after the answer it records
 * it as `pending` with the action id, and answers through a `ResultAsync`. The journal is two
 * `Map`s holding one small record per capture, which stays (an open capture is never
 * forgotten). Nothing is validated, no intent state machine runs, nothing is mapped: so no
 * real implementation of the contract can spend less client CPU than this (bench/FINDINGS.md,
 * session 5).
 *
 * @example
 * ```ts
 * const floor = journaledFloor(sim, 64, { amount: 1000n, currency: 'EUR' }, 'secretKey');
 * ```
 */
export function journaledFloor(
  sim: SimProcess,
  concurrency: number,
  payment: { readonly amount: bigint; readonly currency: string; readonly cardBrand?: string },
  secretKeyCredential: string,
): Contender {
  const options = {
    name: 'journaled-floor',
    label: 'floor: raw undici + Map journal + ResultAsync',
    concurrency,
    payment,
  };
  return simContender(sim, options, (segment) => {
    const secretKey = segment.endpoint.credentials[secretKeyCredential];
    if (!secretKey) throw new Error(`the simulator reported no ${secretKeyCredential}`);
    const authorization = `Bearer ${secretKey}`;
    const pool = new Pool(segment.endpoint.baseUrl, { connections: 128 });
    const records = new Map<string, FloorRecord>();
    const payments = new Map<string, string>();

    async function capture(paymentId: string, key: string): Promise<Result<FloorAnswer, string>> {
      if (records.has(key) || payments.has(paymentId)) return err('already held');
      const at = Date.now();
      const amount = { currency: payment.currency, value: payment.amount };
      records.set(key, { key, paymentId, amount, state: 'sending', createdAt: at, updatedAt: at });
      payments.set(paymentId, key);
      const response = await pool.request(checkoutCaptureRequest(paymentId, key, authorization));
      const json = JSON.parse(await response.body.text()) as { action_id?: string };
      if (response.statusCode !== 202 || !json.action_id) return err('not accepted');
      records.set(key, {
        key,
        paymentId,
        amount,
        state: 'pending',
        createdAt: at,
        updatedAt: Date.now(),
        captureId: json.action_id,
      });
      return ok({ status: 'pending', paymentId, captureId: json.action_id, amount, raw: json });
    }

    return {
      async op(index) {
        const answer = await new ResultAsync(
          capture(paymentAt(segment, index), segment.key(index)),
        );
        if (answer.isErr()) throw new Error(`journaled floor capture failed: ${answer.error}`);
      },
      teardown: () => pool.close(),
    };
  });
}

interface FloorRecord {
  readonly key: string;
  readonly paymentId: string;
  readonly amount: { readonly currency: string; readonly value: bigint };
  readonly state: 'sending' | 'pending';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly captureId?: string;
}

interface FloorAnswer {
  readonly status: 'pending';
  readonly paymentId: string;
  readonly captureId: string;
  readonly amount: FloorRecord['amount'];
  readonly raw: unknown;
}
