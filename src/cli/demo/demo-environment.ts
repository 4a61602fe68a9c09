import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaptureClient, createCaptureClient } from '../../core/client.js';
import type { CaptureEvent } from '../../core/webhook-types.js';
import { adyen } from '../../providers/adyen/index.js';
import { alipayV2 } from '../../providers/alipay-v2/index.js';
import { antom } from '../../providers/antom/index.js';
import { checkout } from '../../providers/checkout/index.js';
import { stripe } from '../../providers/stripe/index.js';
import { type AdyenSimulator, startAdyenSimulator } from '../../testing/simulators/adyen.js';
import {
  type AlipayV2Simulator,
  startAlipayV2Simulator,
} from '../../testing/simulators/alipay-v2.js';
import { type AntomSimulator, startAntomSimulator } from '../../testing/simulators/antom.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../testing/simulators/checkout.js';
import { type StripeSimulator, startStripeSimulator } from '../../testing/simulators/stripe.js';

/** Everything the demo scenarios drive: the simulators, one client, one webhook receiver. */
export interface DemoEnvironment {
  readonly client: CaptureClient;
  readonly antom: AntomSimulator;
  readonly checkout: CheckoutSimulator;
  readonly alipayV2: AlipayV2Simulator;
  readonly stripe: StripeSimulator;
  readonly adyen: AdyenSimulator;
  /** Events the library's own webhook handler accepted, in arrival order. */
  readonly events: CaptureEvent[];
  /** Resolves with the first accepted event matching `predicate`, or rejects after `ms`. */
  waitForEvent(predicate: (event: CaptureEvent) => boolean, ms?: number): Promise<CaptureEvent>;
  close(): Promise<void>;
}

/** The adapters' HTTP deadline in the demo: short, so the timeout scenario is quick. */
export const DEMO_TIMEOUT_MS = 800;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Starts the simulators in-process, a client configured for them, and a loopback
 * server running the client's webhook handlers (`/webhooks/cko`, `/webhooks/antom`, `/webhooks/stripe`,
 * `/webhooks/adyen`).
 */
export async function startDemoEnvironment(): Promise<DemoEnvironment> {
  const events: CaptureEvent[] = [];
  const waiters = new Set<{
    predicate: (e: CaptureEvent) => boolean;
    resolve: (e: CaptureEvent) => void;
  }>();
  const record = async (event: CaptureEvent) => {
    events.push(event);
    for (const waiter of waiters) {
      if (waiter.predicate(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  };

  let handlers: Record<string, ReturnType<CaptureClient['webhookHandler']>> = {};
  const webhookServer = createServer((req, res) => {
    const name = (req.url ?? '').split('?')[0]?.replace('/webhooks/', '') ?? '';
    const handler = handlers[name];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    handler(req, res);
  });
  const webhookOrigin = await listen(webhookServer);

  const [antomSim, checkoutSim, alipaySim, stripeSim, adyenSim] = await Promise.all([
    startAntomSimulator({ webhookUrl: `${webhookOrigin}/webhooks/antom` }),
    startCheckoutSimulator({ webhookUrl: `${webhookOrigin}/webhooks/cko` }),
    startAlipayV2Simulator({ prefix: '/acl/api' }),
    startStripeSimulator({ webhookUrl: `${webhookOrigin}/webhooks/stripe` }),
    startAdyenSimulator({ webhookUrl: `${webhookOrigin}/webhooks/adyen` }),
  ]);
  const client = createCaptureClient({
    // The simulators commit at once: "not found" needs no grace period to be trusted.
    inFlightGraceMs: 0,
    providers: {
      antom: antom({
        ...antomSim.credentials,
        baseUrl: antomSim.baseUrl,
        timeoutMs: DEMO_TIMEOUT_MS,
      }),
      cko: checkout({
        ...checkoutSim.credentials,
        baseUrl: checkoutSim.baseUrl,
        timeoutMs: DEMO_TIMEOUT_MS,
      }),
      wallet: alipayV2({
        ...alipaySim.credentials,
        baseUrl: alipaySim.baseUrl,
        timeoutMs: DEMO_TIMEOUT_MS,
      }),
      stripe: stripe({
        ...stripeSim.credentials,
        baseUrl: stripeSim.baseUrl,
        timeoutMs: DEMO_TIMEOUT_MS,
      }),
      adyen: adyen({
        ...adyenSim.credentials,
        baseUrl: adyenSim.baseUrl,
        timeoutMs: DEMO_TIMEOUT_MS,
      }),
    },
  });
  handlers = {
    antom: client.webhookHandler('antom', record),
    cko: client.webhookHandler('cko', record),
    stripe: client.webhookHandler('stripe', record),
    adyen: client.webhookHandler('adyen', record),
  };

  return {
    client,
    antom: antomSim,
    checkout: checkoutSim,
    alipayV2: alipaySim,
    stripe: stripeSim,
    adyen: adyenSim,
    events,
    waitForEvent(predicate, ms = 5_000) {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (event: CaptureEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching webhook within ${ms} ms`));
        }, ms);
        waiters.add(waiter);
      });
    },
    async close() {
      await client.close();
      await Promise.all([
        antomSim.close(),
        checkoutSim.close(),
        alipaySim.close(),
        stripeSim.close(),
        adyenSim.close(),
      ]);
      webhookServer.closeAllConnections();
      await new Promise<void>((resolve) => webhookServer.close(() => resolve()));
    },
  };
}
