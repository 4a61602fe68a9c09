import type { Mutable } from './mutable.js';
import type { CaptureDeadline, ProviderCaptureRequest } from './spec.js';

/** The request handed to `doCapture()`, and how to end what it armed. */
export interface DispatchRequest {
  readonly request: ProviderCaptureRequest;
  /** Clears the deadline timer and the caller-signal listener, if `signal` was ever read. */
  readonly done: () => void;
}

/**
 * Builds what `doCapture()` receives: the wire fields, `deadline` (data, always), and
 * `signal`, an own enumerable getter that makes the joined `AbortController` (caller's abort
 * + the dispatch deadline) only when an adapter reads it. An `AbortController` with its
 * listener costs several µs per capture (bench/FINDINGS.md, "Session 4"), and the provider
 * kit's adapters never need one: their transport honors `deadline`.
 *
 * The getter is one shared function that finds its limits under a hidden key, defined with
 * shared descriptors: an object literal with a `get signal()` closure cost ~0.8 µs per
 * capture on Node 20 and left the request in slow (dictionary) mode (bench/FINDINGS.md,
 * session 6).
 *
 * @example
 * ```ts
 * const { request, done } = dispatchRequest(prepared.wire, performance.now() + 15_250);
 * try { return await adapter.doCapture(request); } finally { done(); }
 * ```
 */
export function dispatchRequest(wire: ProviderCaptureRequest, at: number): DispatchRequest {
  const callerSignal = wire.signal;
  const deadline: CaptureDeadline = callerSignal ? { at, signal: callerSignal } : { at };
  const limits = new DispatchLimits(deadline);
  const request: Mutable<ProviderCaptureRequest> = {
    paymentId: wire.paymentId,
    final: wire.final,
    idempotencyKey: wire.idempotencyKey,
    deadline,
  };
  HIDDEN_LIMITS.value = limits;
  Object.defineProperty(request, LIMITS, HIDDEN_LIMITS);
  HIDDEN_LIMITS.value = undefined;
  Object.defineProperty(request, 'signal', SIGNAL);
  if (wire.amount) request.amount = wire.amount;
  if (wire.authorizedAmount) request.authorizedAmount = wire.authorizedAmount;
  if (wire.reference !== undefined) request.reference = wire.reference;
  if (wire.metadata !== undefined) request.metadata = wire.metadata;
  if (wire.context !== undefined) request.context = wire.context;
  if (wire.providerOptions !== undefined) request.providerOptions = wire.providerOptions;
  return { request, done: () => limits.done() };
}

/** Where a request keeps its {@link DispatchLimits}: not enumerable, so no copy carries it. */
const LIMITS = Symbol('capture-kit.dispatchLimits');

/**
 * The descriptor of that key; its value is set for the one `defineProperty` call only. Both
 * descriptors have no prototype: `defineProperty` reads `get`, `set`, `value` and `writable`
 * through the prototype chain, so a process whose `Object.prototype` was given one of those
 * names (prototype pollution) would otherwise make every capture throw here. Set with
 * `setPrototypeOf`: a `__proto__: null` literal would be a slow (dictionary) object.
 */
const HIDDEN_LIMITS: PropertyDescriptor = Object.setPrototypeOf(
  { value: undefined, writable: false, enumerable: false, configurable: false },
  null,
);

/**
 * `signal`, the same getter on every request. Own and enumerable, so a spread copy an adapter
 * makes still carries a working signal (the spread reads it from the original).
 */
const SIGNAL: PropertyDescriptor = Object.setPrototypeOf(
  {
    get(this: { readonly [LIMITS]: DispatchLimits }): AbortSignal {
      return this[LIMITS].signal();
    },
    enumerable: true,
    configurable: true,
  },
  null,
);

/** The joined signal of one dispatch, made on first use; a class so a capture that never asks allocates one object. */
class DispatchLimits {
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onCallerAbort: (() => void) | undefined;
  #finished = false;

  constructor(private readonly deadline: CaptureDeadline) {}

  signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#finished) return controller.signal;
    this.#timer = setTimeout(
      () => controller.abort(new Error('capture-kit: the capture outlived the adapter deadline')),
      Math.max(0, this.deadline.at - performance.now()),
    );
    const caller = this.deadline.signal;
    if (caller?.aborted) controller.abort(caller.reason);
    else if (caller) {
      this.#onCallerAbort = () => controller.abort(caller.reason);
      caller.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    return controller.signal;
  }

  done(): void {
    this.#finished = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onCallerAbort)
      this.deadline.signal?.removeEventListener('abort', this.#onCallerAbort);
  }
}
