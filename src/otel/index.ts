/**
 * capture-kit/otel: OpenTelemetry spans for captures, resolves, reconciles and webhooks.
 * Needs the optional peer dependency `@opentelemetry/api`.
 *
 * @example
 * ```ts
 * import { instrumentCaptureKit } from 'capture-kit/otel';
 * const instrumentation = instrumentCaptureKit(); // after your OpenTelemetry SDK started
 * ```
 *
 * @packageDocumentation
 * @module capture-kit/otel
 */
export {
  CAPTURE_KIT_ATTRIBUTES,
  type CaptureKitInstrumentation,
  type InstrumentCaptureKitOptions,
  instrumentCaptureKit,
} from './instrument-capture-kit.js';
