import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';

/** The OpenTelemetry API module, as `capture-kit/otel` uses it. */
type OpenTelemetryApiModule = typeof OpenTelemetryApi;

/**
 * Loads the optional peer dependency `@opentelemetry/api` on first use, so that importing
 * capture-kit never needs it. The API keeps its registered tracer provider and context
 * manager on a process-wide global, so this copy sees the application's registrations
 * whichever module format the application loaded it in.
 */
export function loadOpenTelemetryApi(
  load: (id: string) => unknown = createRequire(import.meta.url),
): OpenTelemetryApiModule {
  try {
    return load('@opentelemetry/api') as OpenTelemetryApiModule;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error(
        'capture-kit/otel needs the optional peer dependency @opentelemetry/api, which is not installed: run `npm install @opentelemetry/api` (1.3 or later) next to your OpenTelemetry SDK.',
        { cause: error },
      );
    }
    throw error;
  }
}
