import { type KeyObject, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { signatureBytes, signRsa256, verifyRsa256 } from './rsa-signature.js';

/**
 * RSA off the event loop, when it pays. An RSA-2048 signature costs about 0.4 ms of CPU;
 * done synchronously, 10,000 captures started together block the event loop for seconds.
 * Node's callback form of `crypto.sign` / `crypto.verify` runs on libuv's thread pool
 * instead (both cores on a 2-core machine, while the loop keeps serving), but a hop to
 * the pool and back costs a few tens of µs — a single capture must not pay that.
 *
 * So the default, `'auto'`, signs synchronously until the current event-loop turn has
 * spent {@link RSA_SYNC_BUDGET_MS} on synchronous RSA, and hands everything after that to
 * the pool: one capture (or a few per turn) stays synchronous, a burst goes to the pool,
 * and the loop is never blocked by RSA for much more than the budget per turn.
 *
 * At most {@link RSA_POOL_LIMIT} operations are in the pool at once (one core fewer than
 * the machine has), the rest wait in order: libuv runs 4 pool threads, and 4 RSA jobs on
 * a 2-core machine took both cores from the event loop, which then ran late anyway
 * (measurements: bench/FINDINGS.md). The limit also leaves pool threads for `fs` and `dns`.
 */

/**
 * Where one RSA operation runs: `'auto'` (synchronously within the per-turn budget, else
 * the thread pool), `'pool'` (always the thread pool) or `'sync'` (always on the event loop).
 *
 * @example
 * ```ts
 * const where: RsaOffload = 'auto';
 * const header = await signRsa256Async(content, privateKey, where);
 * ```
 */
export type RsaOffload = 'auto' | 'pool' | 'sync';

/**
 * How much synchronous RSA one event-loop turn may do before `'auto'` sends the rest of the
 * turn's operations to the thread pool (milliseconds of measured CPU).
 *
 * @example
 * ```ts
 * RSA_SYNC_BUDGET_MS; // 1: about two RSA-2048 signatures per turn stay on the loop
 * ```
 */
export const RSA_SYNC_BUDGET_MS = 1;

/**
 * How many RSA operations capture-kit keeps on libuv's thread pool at once: one core
 * fewer than the machine has (at least 1), so the event loop keeps a core.
 *
 * @example
 * ```ts
 * RSA_POOL_LIMIT; // 1 on a 2-core machine, 7 on 8 cores
 * ```
 */
export const RSA_POOL_LIMIT = Math.max(1, availableParallelism() - 1);

let inPool = 0;
/** Operations waiting for a pool slot, oldest first (`waitingHead` is the next one). */
let waiting: (() => void)[] = [];
let waitingHead = 0;

/** Starts `job` on the pool now or when a slot frees; `job` must call {@link leavePool} once. */
function enterPool(job: () => void): void {
  if (inPool < RSA_POOL_LIMIT) {
    inPool += 1;
    job();
  } else waiting.push(job);
}

function leavePool(): void {
  const next = waiting[waitingHead];
  if (next === undefined) {
    inPool -= 1;
    return;
  }
  waitingHead += 1;
  if (waitingHead === waiting.length) {
    waiting = [];
    waitingHead = 0;
  } else if (waitingHead >= 1024 && waitingHead * 2 >= waiting.length) {
    waiting = waiting.slice(waitingHead);
    waitingHead = 0;
  }
  // The slot passes to the next operation.
  next();
}

/** Synchronous RSA time spent in the current turn; reset by one `setImmediate` per turn. */
let spentThisTurn = 0;
let resetScheduled = false;

function resetTurn(): void {
  spentThisTurn = 0;
  resetScheduled = false;
}

function runSync(offload: RsaOffload): boolean {
  if (offload === 'sync') return true;
  if (offload === 'pool') return false;
  return spentThisTurn < RSA_SYNC_BUDGET_MS;
}

function charge(started: number): void {
  spentThisTurn += performance.now() - started;
  if (!resetScheduled) {
    resetScheduled = true;
    setImmediate(resetTurn).unref();
  }
}

/**
 * SHA256withRSA over `content`, base64 encoded, synchronously or on the thread pool
 * (see {@link RsaOffload}). Rejects only as `crypto.sign` would throw (an unusable key).
 *
 * @example
 * ```ts
 * const signature = await signRsa256Async(signedContent('POST', path, clientId, time, body), privateKey);
 * const header = formatSignatureHeader(signature, 1);
 * ```
 */
export function signRsa256Async(
  content: Buffer,
  privateKey: KeyObject,
  offload: RsaOffload = 'auto',
): Promise<string> {
  if (runSync(offload)) {
    const started = performance.now();
    try {
      return Promise.resolve(signRsa256(content, privateKey));
    } catch (error) {
      return Promise.reject(error);
    } finally {
      charge(started);
    }
  }
  return new Promise((resolve, reject) => {
    enterPool(() => {
      try {
        sign('sha256', content, privateKey, (error, signature) => {
          leavePool();
          if (error) reject(error);
          else resolve(signature.toString('base64'));
        });
      } catch (error) {
        leavePool();
        reject(error);
      }
    });
  });
}

/**
 * Verifies a base64 SHA256withRSA signature, synchronously or on the thread pool (see
 * {@link RsaOffload}). Never rejects; any malformed input is `false`.
 *
 * @example
 * ```ts
 * const valid = await verifyRsa256Async(signedContent('POST', path, clientId, time, rawBody), signature, publicKey);
 * ```
 */
export function verifyRsa256Async(
  content: Buffer,
  signatureBase64: string,
  publicKey: KeyObject,
  offload: RsaOffload = 'auto',
): Promise<boolean> {
  if (runSync(offload)) {
    const started = performance.now();
    const valid = verifyRsa256(content, signatureBase64, publicKey);
    charge(started);
    return Promise.resolve(valid);
  }
  const signature = signatureBytes(signatureBase64);
  if (!signature) return Promise.resolve(false);
  return new Promise((resolve) => {
    enterPool(() => {
      try {
        verify('sha256', content, publicKey, signature, (error, valid) => {
          leavePool();
          resolve(!error && valid);
        });
      } catch {
        leavePool();
        resolve(false);
      }
    });
  });
}
