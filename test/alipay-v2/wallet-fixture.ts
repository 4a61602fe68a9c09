import { request } from 'undici';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import {
  loadPrivateKey,
  loadPublicKey,
  parseSignatureHeader,
  signedContent,
  signRsa256,
  verifyRsa256,
} from '../../src/provider-kit/rsa-signature.js';
import { type AlipayV2Settings, alipayV2 } from '../../src/providers/alipay-v2/index.js';
import {
  type AlipayV2Simulator,
  type AlipayV2SimulatorOptions,
  startAlipayV2Simulator,
} from '../../src/testing/simulators/alipay-v2.js';

/** A simulator plus a client whose `wallet` provider is the adapter pointed at it. */
export interface WalletFixture {
  readonly sim: AlipayV2Simulator;
  readonly client: CaptureClient;
  close(): Promise<void>;
}

/** Starts a simulator and a client; `settings` override the adapter's settings. */
export async function startWallet(
  options: AlipayV2SimulatorOptions = {},
  settings: Partial<AlipayV2Settings> = {},
): Promise<WalletFixture> {
  const sim = await startAlipayV2Simulator(options);
  const client = createCaptureClient({
    inFlightGraceMs: 0,
    providers: {
      wallet: alipayV2({ ...sim.credentials, baseUrl: sim.baseUrl, timeoutMs: 400, ...settings }),
    },
  });
  return {
    sim,
    client,
    async close() {
      await client.close();
      await sim.close();
    },
  };
}

/** What a raw request to the simulator got back. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown> & {
    result?: { resultCode?: string; resultStatus?: string };
  };
  /** Whether the answer's signature verified with the wallet key (`undefined` = no signature). */
  readonly signed: boolean | undefined;
}

/**
 * Sends a request to the simulator signed with the merchant key, bypassing the adapter, so
 * tests can reach answers the adapter never provokes (GET, wrong content type, bad fields).
 */
export async function rawRequest(
  sim: AlipayV2Simulator,
  options: {
    readonly method?: 'GET' | 'POST' | 'PUT';
    readonly path: string;
    readonly body?: string;
    readonly contentType?: string;
    readonly requestTime?: string;
  },
): Promise<RawAnswer> {
  const method = options.method ?? 'POST';
  const body = options.body ?? '';
  const time = options.requestTime ?? new Date().toISOString().replace('Z', '+00:00');
  const content = signedContent(method, options.path, sim.credentials.clientId, time, body);
  const signature = signRsa256(content, loadPrivateKey(sim.credentials.privateKey, 'test'));
  const response = await request(`${sim.url}${options.path}`, {
    method,
    headers: {
      'content-type': options.contentType ?? 'application/json; charset=UTF-8',
      'client-id': sim.credentials.clientId,
      'request-time': time,
      signature: `algorithm=RSA256, keyVersion=1, signature=${encodeURIComponent(signature)}`,
    },
    ...(method === 'GET' ? {} : { body }),
  });
  const text = await response.body.text();
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') headers[key] = value;
  }
  const parsedSignature = parseSignatureHeader(headers.signature);
  const signed = parsedSignature
    ? verifyRsa256(
        signedContent(
          method,
          options.path,
          headers['client-id'] ?? '',
          headers['response-time'] ?? '',
          text,
        ),
        parsedSignature.signature,
        loadPublicKey(sim.credentials.walletPublicKey, 'test'),
      )
    : undefined;
  return { status: response.statusCode, headers, body: JSON.parse(text), signed };
}
