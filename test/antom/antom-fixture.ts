import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent, WebhookRequest } from '../../src/core/webhook-types.js';
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

/** Where {@link signedNotification} is addressed by default, as the webhook tests configure antom(). */
export const NOTIFY_CLIENT_ID = 'SANDBOX_5YBZ0G2ZC0LE01234';
export const NOTIFY_PATH = '/notify/antom';

/**
 * A client whose `antom` adapter verifies notifications with a fresh Antom key pair (its
 * private half signs {@link signedNotification}s); the API is never contacted.
 */
export function antomWebhookClient(): { client: CaptureClient; antomPrivateKey: KeyObject } {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const antomKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const client = createCaptureClient({
    providers: {
      antom: antom({
        clientId: NOTIFY_CLIENT_ID,
        privateKey: merchant.privateKey,
        antomPublicKey: antomKeys.publicKey,
        baseUrl: 'http://127.0.0.1:9',
      }),
    },
  });
  return { client, antomPrivateKey: antomKeys.privateKey };
}

/**
 * A notifyCapture as Antom sends it, signed with plain node:crypto by `antomPrivateKey`.
 * `signedPath` signs another path than the one it arrives on; `signature` sends that header
 * value instead (`null`: no signature header at all).
 */
export function signedNotification(
  antomPrivateKey: KeyObject,
  body: string,
  options: {
    path?: string;
    signedPath?: string;
    clientId?: string;
    time?: string;
    signature?: string | null;
  } = {},
): WebhookRequest {
  const time = options.time ?? '1733989443000';
  const clientId = options.clientId ?? NOTIFY_CLIENT_ID;
  const content = `POST ${options.signedPath ?? options.path ?? NOTIFY_PATH}\n${clientId}.${time}.${body}`;
  const signature =
    options.signature ??
    encodeURIComponent(sign('sha256', Buffer.from(content), antomPrivateKey).toString('base64'));
  return {
    method: 'POST',
    path: options.path ?? NOTIFY_PATH,
    headers: {
      'content-type': 'application/json',
      'client-id': clientId,
      'request-time': time,
      ...(options.signature === null
        ? {}
        : { signature: `algorithm=RSA256,keyVersion=1,signature=${signature}` }),
    },
    rawBody: Buffer.from(body),
  };
}
