import { createCaptureClient } from '../../src/core/client.js';
import { stripe } from '../../src/providers/stripe/index.js';
import type { FaultProxyForward } from '../../src/testing/fault-proxy-options.js';
import { type StripeSimulator, startStripeSimulator } from '../../src/testing/simulators/stripe.js';
import { AUTHORIZED, type SimFault } from './explorer-commands.js';
import type { ExplorerEnvOptions, SimAdapter } from './explorer-env.js';

const CAPTURE = /^\/v1\/payment_intents\/([^/?]+)\/capture(\?|$)/;
const INTENT = /^\/v1\/payment_intents\/[^/?]+(\?|$)/;

/**
 * The Stripe profile: multicapture on a Visa PaymentIntent. Its GET (the read before each
 * capture and the inquiry of resolve()) is the `inquiry` class, the capture POST the
 * `capture` class. Simulator faults: declines, a saved 500 (`api_error`, replayed for the
 * key), 429s that save nothing, and the webhook faults.
 */
export async function stripeExplorerAdapter(options: ExplorerEnvOptions): Promise<SimAdapter> {
  const sim: StripeSimulator = await startStripeSimulator();
  /** Whether the simulator will capture this request (so it consumes a result or webhook fault). */
  async function willAccept(request: FaultProxyForward): Promise<boolean> {
    const paymentId = CAPTURE.exec(request.path)?.[1];
    if (!paymentId) return false;
    const state = await sim.payment(decodeURIComponent(paymentId));
    if (state.status !== 'requires_capture') return false;
    const remaining = state.authorized.value - state.capturedTotal;
    const amount = new URLSearchParams(request.body.toString('utf8')).get('amount_to_capture');
    return remaining > 0n && (amount === null || BigInt(amount) <= remaining);
  }
  return {
    space: {
      multi: true,
      simCaptureFaults: [
        ...['card_declined', 'insufficient_funds', 'api_error', 'rate_limit', 'lock_timeout'].map(
          (code): SimFault => ({ sim: 'result', code }),
        ),
        { sim: 'webhook', kind: 'webhook_duplicate' },
        { sim: 'webhook', kind: 'webhook_missing' },
        { sim: 'webhook', kind: 'webhook_bad_signature' },
      ],
      simInquiryFaults: [],
    },
    provider: 'stripe',
    currency: 'EUR',
    baseUrl: sim.baseUrl,
    webhookPath: '/webhooks/stripe',
    classify: ({ method, path }) => {
      if (method === 'POST' && CAPTURE.test(path)) return 'capture';
      if (method === 'GET' && INTENT.test(path)) return 'inquiry';
      return undefined;
    },
    makeClient: (baseUrl, name, extra) =>
      createCaptureClient({
        ...extra,
        providers: {
          [name]: stripe({ ...sim.credentials, baseUrl, timeoutMs: options.timeoutMs }),
        },
      }),
    authorize: () => sim.authorize({ amount: AUTHORIZED, currency: 'EUR', cardBrand: 'visa' }),
    payment: (id) => sim.payment(id),
    settle: () => sim.settle(),
    setWebhookUrl: (url) => sim.setWebhookUrl(url),
    async apply(fault, on, request, newKey) {
      if (on !== 'capture' || !newKey || !(await willAccept(request))) return false;
      if (fault.sim === 'result') {
        sim.failNextCapture(fault.code);
        return true;
      }
      if (fault.sim === 'webhook') {
        sim.injectFault({ kind: fault.kind });
        return true;
      }
      return false;
    },
    close: () => sim.close(),
  };
}
