import type { Dispatcher } from 'undici';

/**
 * An in-process undici dispatcher that answers every request with Checkout.com's
 * `202 Accepted` body, one event-loop turn later (as a socket read would): the library's own
 * work per capture, measured without a network (bench/hot-path-driver.ts,
 * bench/library-overhead.ts, bench/webhook-driver.ts).
 *
 * @example
 * ```ts
 * const adapter = checkout({ secretKey, webhookSecret, baseUrl, dispatcher: acceptingDispatcher() });
 * // an action id a later webhook can name: acceptingDispatcher((key) => `act_${key}`)
 * ```
 */
export function acceptingDispatcher(
  actionId: (idempotencyKey: string, answered: number) => string = (_key, answered) =>
    `act_${answered.toString(36).padStart(26, '0')}`,
): Dispatcher {
  let actions = 0;
  const controller = {
    abort() {},
    pause() {},
    resume() {},
    aborted: false,
    paused: false,
    reason: null,
  };
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': '0' };
  return {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      setImmediate(() => {
        handler.onRequestStart?.(controller as never, {});
        const headerValues = options.headers as Record<string, string>;
        const key = headerValues['cko-idempotency-key'] ?? '';
        const body = Buffer.from(
          `{"action_id":${JSON.stringify(actionId(key, actions++))},"reference":${JSON.stringify(key)},"_links":{"payment":{"href":"https://api.sandbox.checkout.com/payments/x"}}}`,
        );
        handler.onResponseStart?.(
          controller as never,
          202,
          { ...headers, 'content-length': String(body.length) },
          'Accepted',
        );
        handler.onResponseData?.(controller as never, body);
        handler.onResponseEnd?.(controller as never, {});
      });
      return true;
    },
    close: async () => {},
    destroy: async () => {},
  } as unknown as Dispatcher;
}
