import type { CaptureCapabilities } from '../../core/capabilities.js';

const CAPABILITIES: CaptureCapabilities = Object.freeze({
  fullCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  finalCaptureFlag: true,
  amountRequired: false,
  resultDelivery: 'synchronous',
  webhooks: false,
  reasons: Object.freeze([
    'webhooks: Alipay+ v2 documents no capture webhook; capture results are synchronous, and resolve() (inquiryPayment) settles an unknown outcome.',
  ]),
});

/**
 * What an Alipay+ v2 wallet allows: full, partial and multiple captures (`isLastCapture`),
 * results in the response. The capture window is wallet-specific and undocumented, so
 * `captureWindowDays` is left unset.
 *
 * @example
 * ```ts
 * alipayV2Capabilities().multipleCaptures; // true
 * ```
 */
export function alipayV2Capabilities(): CaptureCapabilities {
  return CAPABILITIES;
}
