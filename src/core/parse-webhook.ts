import { err, ok, type Result } from 'neverthrow';
import type { WebhookError } from './errors.js';
import { describe } from './peek.js';
import type { PipelineContext } from './pipeline-context.js';
import { settleFromWebhook } from './webhook-intents.js';
import type { CaptureEvent, WebhookRequest } from './webhook-types.js';

/**
 * `client.parseWebhook()`: verifies and parses one delivery with the named adapter, then
 * settles the intent it is about. Fails closed: an adapter that throws never yields an event.
 */
export async function runParseWebhook(
  ctx: PipelineContext,
  providerName: string,
  request: WebhookRequest,
): Promise<Result<CaptureEvent, WebhookError>> {
  const adapter = ctx.providers.get(providerName);
  if (!adapter) {
    return err({
      code: 'unknown_provider',
      verified: false,
      message: `provider ${JSON.stringify(providerName)} is not registered; registered: ${[...ctx.providers.keys()].join(', ')}.`,
    });
  }
  let event: CaptureEvent;
  try {
    if (!request || (typeof request.rawBody !== 'string' && !Buffer.isBuffer(request.rawBody))) {
      return err({
        code: 'invalid_payload',
        verified: false,
        provider: providerName,
        kind: adapter.kind,
        message:
          'rawBody must be the exact bytes received, as a Buffer or string (not a parsed object).',
      });
    }
    const result = await adapter.doParseWebhook(request);
    if (result.isErr()) return err({ ...result.error, provider: providerName, kind: adapter.kind });
    event = { ...result.value, provider: providerName };
  } catch (error) {
    // Fail closed: an adapter bug must never turn into an accepted webhook.
    return err({
      code: 'invalid_payload',
      verified: false,
      provider: providerName,
      kind: adapter.kind,
      message: `The ${adapter.kind} adapter could not parse the webhook (${describe(error)}).`,
      cause: error,
    });
  }
  // A verified event is the provider's word about a capture: settle its intent.
  await settleFromWebhook(ctx, event);
  return ok(event);
}
