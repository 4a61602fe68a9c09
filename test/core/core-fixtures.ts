import type { CaptureCapabilities } from '../../src/core/capabilities.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';

/** Capabilities with every flag on; tests switch off what they need. */
export const ALL_CAPABILITIES: CaptureCapabilities = {
  fullCapture: true,
  partialCapture: true,
  multipleCaptures: true,
  finalCaptureFlag: true,
  amountRequired: false,
  resultDelivery: 'synchronous',
  webhooks: true,
  reasons: [],
};

/** A verified capture event, as an adapter of kind `test` would parse it. */
export const SAMPLE_EVENT: CaptureEvent = {
  provider: 'test',
  kind: 'test',
  id: 'evt_1',
  type: 'capture.succeeded',
  paymentId: 'pay_1',
  occurredAt: '2024-01-01T00:00:00Z',
  raw: {},
};
