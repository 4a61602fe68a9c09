import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { type CheckoutSettings, checkout } from '../../src/providers/checkout/index.js';
import { startWebhookRecorder } from '../../src/testing/conformance-webhook-recorder.js';
import {
  type CheckoutSimulator,
  type CheckoutSimulatorOptions,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';

/** A simulator, a client pointed at it, and a loopback webhook receiver running the client's handler. */
export interface CheckoutFixture {
  readonly sim: CheckoutSimulator;
  readonly client: CaptureClient;
  readonly events: CaptureEvent[];
  readonly errors: unknown[];
  /** HTTP status of every webhook answer, in order. */
  readonly answers: number[];
  close(): Promise<void>;
}

export async function startCheckoutFixture(
  simOptions: CheckoutSimulatorOptions = {},
  adapter: Partial<CheckoutSettings> = {},
): Promise<CheckoutFixture> {
  const recorder = await startWebhookRecorder('/webhooks/cko');
  const sim = await startCheckoutSimulator({ webhookUrl: recorder.url, ...simOptions });
  const client = createCaptureClient({
    inFlightGraceMs: 0,
    providers: {
      cko: checkout({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400, ...adapter }),
    },
  });
  recorder.attach((onEvent, options) => client.webhookHandler('cko', onEvent, options));
  return {
    sim,
    client,
    get events() {
      return recorder.events.map((r) => r.value);
    },
    get errors() {
      return recorder.errors.map((r) => r.value);
    },
    get answers() {
      return recorder.deliveries.map((r) => r.value);
    },
    async close() {
      await client.close();
      await sim.close();
      await recorder.close();
    },
  };
}

/** One canned HTTP answer and the requests it received: for exact-bytes response tests. */
export interface CannedServer {
  readonly url: string;
  readonly received: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer }[];
  answer(status: number, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startCannedServer(): Promise<CannedServer> {
  let next: { status: number; body: string; headers?: Record<string, string> } = {
    status: 200,
    body: '',
  };
  const received: CannedServer['received'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(next.status, {
        ...(next.body ? { 'content-type': 'application/json' } : {}),
        ...next.headers,
      });
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answer(status, body, headers) {
      next = { status, body, ...(headers ? { headers } : {}) };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `probe` returns something, or throws after `ms`. */
export async function waitFor<T>(probe: () => T | undefined, what: string, ms = 3_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A syntactically valid current-platform sandbox key for construction-only tests. */
export const SANDBOX_KEY = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';

/** A canned server and a client whose provider `cko` talks to it, for one describe block. */
export interface CannedCheckout {
  readonly server: CannedServer;
  readonly client: CaptureClient;
}

/**
 * Starts a canned server and a client on it before the tests of the calling describe block
 * and closes both after them. Read `server` and `client` inside tests (they exist from
 * beforeAll on).
 */
export function useCannedCheckout(settings: Partial<CheckoutSettings> = {}): CannedCheckout {
  let server: CannedServer | undefined;
  let client: CaptureClient | undefined;
  beforeAll(async () => {
    server = await startCannedServer();
    client = createCaptureClient({
      providers: { cko: checkout({ secretKey: SANDBOX_KEY, ...settings, baseUrl: server.url }) },
    });
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useCannedCheckout(): read it inside a test');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}

/**
 * The fields every `payment_captured` test delivery shares (Checkout.com's documented
 * example); each test adds what it is about (`balances`, `_links`, the capture's metadata).
 */
export const PAYMENT_CAPTURED = {
  id: 'evt_az5sblvku4ge3dwpztvyizgcau',
  type: 'payment_captured',
  version: '1.0.33',
  created_on: '2019-08-24T14:15:22Z',
  data: {
    id: 'pay_mbabizu24mvu3mela5njyhpit4',
    action_id: 'act_y3oqhf46pyzuxjbcn2giaqnb44',
    reference: 'ORD-5023-4E89',
    amount: 6540,
    currency: 'EUR',
    response_code: '10000',
    response_summary: 'Approved',
  },
};
