import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaptureEvent } from '../core/webhook-types.js';
import type { WebhookHandlerOptions } from '../core/webhooks.js';

/** A report the webhook handler gave `onError`. */
type WebhookReport = Parameters<NonNullable<WebhookHandlerOptions['onError']>>[0];

/** Something that happened at the recorder, with `performance.now()` time. */
interface Recorded<T> {
  readonly value: T;
  readonly at: number;
}

/**
 * A loopback `node:http` server that runs the library's webhook handler and keeps what it
 * saw: verified events, `onError` reports and the HTTP status of every delivery.
 */
export interface WebhookRecorder {
  /** `http://127.0.0.1:<port><path>` */
  readonly url: string;
  readonly path: string;
  readonly events: readonly Recorded<CaptureEvent>[];
  readonly errors: readonly Recorded<WebhookReport>[];
  readonly deliveries: readonly Recorded<number>[];
  /**
   * Installs the handler; until then every delivery gets 503 (the harness does not exist
   * yet while `setup()` runs, but the URL must).
   */
  attach(
    makeHandler: (
      onEvent: (event: CaptureEvent) => void,
      options: WebhookHandlerOptions,
    ) => (req: IncomingMessage, res: ServerResponse) => void,
  ): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link WebhookRecorder} on 127.0.0.1, port 0.
 *
 * @example
 * ```ts
 * const recorder = await startWebhookRecorder('/webhooks/cko');
 * recorder.attach((onEvent, options) => client.webhookHandler('cko', onEvent, options));
 * await waitFor(() => recorder.events.find((e) => e.value.paymentId === paymentId), 'the capture webhook');
 * ```
 */
export async function startWebhookRecorder(path: string): Promise<WebhookRecorder> {
  const events: Recorded<CaptureEvent>[] = [];
  const errors: Recorded<WebhookReport>[] = [];
  const deliveries: Recorded<number>[] = [];
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  const server = createServer((req, res) => {
    res.on('finish', () => deliveries.push({ value: res.statusCode, at: performance.now() }));
    if (!handler) {
      res.writeHead(503, { 'content-length': '0' });
      res.end();
      req.resume();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    path,
    events,
    errors,
    deliveries,
    attach(makeHandler) {
      handler = makeHandler((event) => void events.push({ value: event, at: performance.now() }), {
        onError: (error) => void errors.push({ value: error, at: performance.now() }),
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Polls `probe` every 10 ms until it returns something other than `undefined`, or throws
 * after `timeoutMs` naming `what`. For waits on background work (webhooks) where a fixed
 * sleep would make the result depend on timing luck.
 *
 * @example
 * ```ts
 * const event = await waitFor(() => recorder.events.find((e) => e.value.paymentId === id), 'the webhook', 5_000);
 * ```
 */
export async function waitFor<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (performance.now() >= deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
