import type { WebhookError } from '../../core/errors.js';
import type { WebhookAck } from '../../core/webhooks.js';

/**
 * Alipay+ v2 documents no capture webhook, so every delivery is refused as `unsupported`:
 * results arrive in the capture response, and `resolve()` settles an unknown outcome.
 *
 * @example
 * ```ts
 * const refused = alipayV2NoWebhooks(); // { code: 'unsupported', verified: false, … }
 * ```
 */
export function alipayV2NoWebhooks(): WebhookError {
  return {
    code: 'unsupported',
    verified: false,
    kind: 'alipayV2',
    message:
      'Alipay+ v2 documents no capture webhook: capture results arrive in the capture response; call resolve() (inquiryPayment) to settle an unknown outcome.',
  };
}

/** The answer to a delivery: an empty 200 (there is nothing to acknowledge). */
export function alipayV2WebhookAck(): WebhookAck {
  return { status: 200, headers: {}, body: '' };
}
