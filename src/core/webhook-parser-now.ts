import type { Result } from 'neverthrow';
import type { WebhookError } from './errors.js';
import type { CaptureProviderV1 } from './spec.js';
import type { ProviderCaptureEvent, WebhookRequest } from './webhook-types.js';

/**
 * An adapter's webhook parser answered in the same turn: what its `doParseWebhook`
 * resolves to, returned instead, with a new event object on every call (the client takes
 * it over and adds `provider` to it). Checking a signature and parsing a body never waits on
 * anything, so `client.parseWebhook()` calls it directly for the adapters that register
 * one (Checkout.com, Antom, Stripe), and with a journal that also answers in the same turn
 * (journal-now.ts) a delivery costs no async call at all (bench/FINDINGS.md, session 6).
 * Internal, like the journal's face: any other adapter is awaited.
 *
 * @example
 * ```ts
 * const parse: WebhookParserNow = (request) => parseCheckoutWebhook(request, settings);
 * ```
 */
export type WebhookParserNow = (
  request: WebhookRequest,
) => Result<ProviderCaptureEvent, WebhookError>;

/** The parser, and the `doParseWebhook` it stands for as it was when registered. */
interface Registered {
  readonly parse: WebhookParserNow;
  readonly doParseWebhook: CaptureProviderV1['doParseWebhook'];
}

const parsers = new WeakMap<CaptureProviderV1, Registered>();

/**
 * Registers `parse` as `adapter`'s same-turn webhook parser and returns the adapter. Only
 * for an adapter whose `doParseWebhook` resolves what `parse` returns, and rejects with
 * what it throws.
 *
 * @example
 * ```ts
 * const parse = (request: WebhookRequest) => parseCheckoutWebhook(request, settings);
 * return parsesWebhooksNow({ ...adapter, doParseWebhook: async (request) => parse(request) }, parse);
 * ```
 */
export function parsesWebhooksNow<Adapter extends CaptureProviderV1>(
  adapter: Adapter,
  parse: WebhookParserNow,
): Adapter {
  parsers.set(adapter, { parse, doParseWebhook: adapter.doParseWebhook });
  return adapter;
}

/**
 * `adapter`'s same-turn webhook parser, or `undefined` when `doParseWebhook` must be
 * awaited. Asked on every delivery: a `doParseWebhook` replaced since (a spy, a wrapper
 * patched onto the object) is then called instead.
 *
 * @example
 * ```ts
 * const parse = webhookParserNow(adapter);
 * const parsed = parse ? parse(request) : await adapter.doParseWebhook(request);
 * ```
 */
export function webhookParserNow(adapter: CaptureProviderV1): WebhookParserNow | undefined {
  const entry = parsers.get(adapter);
  if (entry === undefined) return undefined;
  try {
    return adapter.doParseWebhook === entry.doParseWebhook ? entry.parse : undefined;
  } catch {
    // A `doParseWebhook` that cannot be read: the awaited path reads it again inside its
    // `try` and refuses the delivery, as it always did.
    return undefined;
  }
}
