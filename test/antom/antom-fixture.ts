import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { type AntomSettings, antom } from '../../src/providers/antom/index.js';
import { startWebhookRecorder, waitFor } from '../../src/testing/conformance-webhook-recorder.js';
import {
  type AntomSimContract,
  type AntomSimulator,
  type AntomSimulatorOptions,
  startAntomSimulator,
} from '../../src/testing/simulators/antom.js';

/** A loopback server whose handler can be swapped per test; it records every request body. */
export interface Loopback {
  readonly url: string;
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
  close(): Promise<void>;
}

export async function startLoopback(
  handler: Loopback['handler'] = (_req, res) => res.writeHead(404).end(),
): Promise<Loopback> {
  const state = { handler };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => state.handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get handler() {
      return state.handler;
    },
    set handler(next) {
      state.handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A simulator, a client pointed at it, and a webhook receiver running the client's handler. */
export interface AntomFixture {
  readonly sim: AntomSimulator;
  readonly client: CaptureClient;
  readonly events: CaptureEvent[];
  readonly errors: unknown[];
  /** HTTP status of every webhook answer, in order (bodies are in `sim.notifications`). */
  readonly answers: number[];
  readonly webhookPath: string;
  close(): Promise<void>;
}

export async function startAntomFixture(
  simOptions: AntomSimulatorOptions = {},
  adapter: Partial<AntomSettings> = {},
): Promise<AntomFixture> {
  const recorder = await startWebhookRecorder('/webhooks/antom');
  const sim = await startAntomSimulator({ webhookUrl: recorder.url, ...simOptions });
  const client = antomClient(sim, simOptions.contract, adapter);
  recorder.attach((onEvent, options) => client.webhookHandler('antom', onEvent, options));
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
    webhookPath: recorder.path,
    async close() {
      await client.close();
      await sim.close();
      await recorder.close();
    },
  };
}

/** A client whose `antom` adapter points at `sim`, with the simulator's contract flags. */
export function antomClient(
  sim: AntomSimulator,
  contract?: AntomSimContract,
  adapter: Partial<AntomSettings> = {},
): CaptureClient {
  return createCaptureClient({
    inFlightGraceMs: 0,
    providers: {
      antom: antom({
        ...sim.credentials,
        baseUrl: sim.baseUrl,
        timeoutMs: 400,
        ...(contract
          ? {
              contract: {
                partialCapture: contract.partialCapture === true,
                multipleCaptures: contract.multipleCaptures === true,
              },
            }
          : {}),
        ...adapter,
      }),
    },
  });
}

/** Polls until `probe` returns something, or throws after 3 s. */
export const eventually = <T>(probe: () => T | undefined, what: string) =>
  waitFor(probe, what, 3_000);
