import { createPrivateKey, createPublicKey, type KeyLike, sign, verify } from 'node:crypto';
import { Pool } from 'undici';
import { captureKitContender } from './capture-kit-contender.js';
import type { Library } from './library.js';
import {
  type Contender,
  pairedCpuRatio,
  pairedRatio,
  runInterleaved,
  type SegmentSample,
} from './measure.js';
import {
  freshSegment,
  paymentAt,
  type SimEndpoint,
  type SimProcess,
  simContender,
} from './sim-client.js';
import { captureMeasureOptions, type Profile, type ThroughputResult } from './types.js';

/**
 * Antom capture throughput: capture-kit vs the same request signed the way the official
 * SDKs do it (the key string parsed on every call) vs the ceiling of the cryptography one
 * capture needs (one RSA-2048 sign + one RSA-2048 verify, a bare `node:crypto` loop).
 */

const AMOUNT = 1000n;
const CURRENCY = 'USD';
const PAYMENT = { amount: AMOUNT, currency: CURRENCY } as const;
/** Enough in flight that the client and the simulator each keep a core busy. */
export const ANTOM_CONCURRENCY = 16;

interface AntomCredentials {
  readonly clientId: string;
  readonly privateKey: string;
  readonly antomPublicKey: string;
}

function antomCredentials(endpoint: SimEndpoint): AntomCredentials {
  const { clientId, privateKey, antomPublicKey } = endpoint.credentials;
  if (!clientId || !privateKey || !antomPublicKey) {
    throw new Error('the Antom simulator reported incomplete credentials');
  }
  return { clientId, privateKey, antomPublicKey };
}

/** `/ams/api/…` or, for a `SANDBOX_` client id, `/ams/sandbox/api/…` (as the SDKs do). */
function capturePath(clientId: string): string {
  return clientId.startsWith('SANDBOX_')
    ? '/ams/sandbox/api/v1/payments/capture'
    : '/ams/api/v1/payments/capture';
}

function signedContent(path: string, clientId: string, time: string, body: string): Buffer {
  return Buffer.from(`POST ${path}\n${clientId}.${time}.${body}`, 'utf8');
}

/** What one signed exchange hands the ceiling loop: the bytes that get signed and verified. */
interface ExchangeBytes {
  readonly requestContent: Buffer;
  readonly responseContent: Buffer;
  readonly responseSignature: Buffer;
}

/**
 * One Antom capture over undici, signed and verified with whatever keys are passed (a PEM
 * string, parsed by node:crypto on every call, or a KeyObject). Throws unless Antom
 * answered S with a valid signature.
 */
async function signedCapture(
  pool: Pool,
  credentials: AntomCredentials,
  privateKey: KeyLike,
  antomPublicKey: KeyLike,
  paymentId: string,
  key: string,
): Promise<ExchangeBytes> {
  const path = capturePath(credentials.clientId);
  const body = JSON.stringify({
    paymentId,
    captureRequestId: key,
    captureAmount: { currency: CURRENCY, value: AMOUNT.toString() },
  });
  const time = String(Date.now());
  const requestContent = signedContent(path, credentials.clientId, time, body);
  const signature = sign('sha256', requestContent, privateKey).toString('base64');
  const response = await pool.request({
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': credentials.clientId,
      'request-time': time,
      signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
    },
    body,
  });
  const text = await response.body.text();
  const header = String(response.headers.signature ?? '');
  const encoded = /signature=([^,]+)/.exec(header)?.[1];
  const responseTime = String(response.headers['response-time'] ?? '');
  if (!encoded || !responseTime) throw new Error(`unsigned Antom answer: ${text}`);
  const responseSignature = Buffer.from(decodeURIComponent(encoded), 'base64');
  const responseContent = signedContent(path, credentials.clientId, responseTime, text);
  if (!verify('sha256', responseContent, antomPublicKey, responseSignature)) {
    throw new Error('the Antom answer did not verify');
  }
  const json = JSON.parse(text) as { result?: { resultStatus?: string; resultCode?: string } };
  if (json.result?.resultStatus !== 'S') {
    throw new Error(`Antom capture not S: ${json.result?.resultCode ?? text}`);
  }
  return { requestContent, responseContent, responseSignature };
}

function captureKit(lib: Library, sim: SimProcess): Contender {
  const options = {
    concurrency: ANTOM_CONCURRENCY,
    payment: PAYMENT,
    expect: 'succeeded',
  } as const;
  return captureKitContender(lib, sim, options, (endpoint) =>
    lib.antom({ ...antomCredentials(endpoint), baseUrl: endpoint.baseUrl }),
  );
}

/**
 * The same request over undici, signed and verified by hand: with the PEM strings handed
 * to node:crypto on every call (what the official SDKs do with the key strings they are
 * configured with), or with keys parsed once.
 */
function handSigned(sim: SimProcess, parseOnce: boolean): Contender {
  const options = {
    name: parseOnce ? 'undici-parsed-keys' : 'sdk-style',
    label: parseOnce
      ? 'hand-written: undici + keys parsed once'
      : 'SDK-style (key string parsed per call)',
    concurrency: ANTOM_CONCURRENCY,
    payment: PAYMENT,
  };
  return simContender(sim, options, (segment) => {
    const credentials = antomCredentials(segment.endpoint);
    const privateKey = parseOnce
      ? createPrivateKey(credentials.privateKey)
      : credentials.privateKey;
    const publicKey = parseOnce
      ? createPublicKey(credentials.antomPublicKey)
      : credentials.antomPublicKey;
    const pool = new Pool(segment.endpoint.baseUrl, { connections: 128 });
    return {
      async op(index) {
        const key = segment.key(index);
        await signedCapture(
          pool,
          credentials,
          privateKey,
          publicKey,
          paymentAt(segment, index),
          key,
        );
      },
      teardown: () => pool.close(),
    };
  });
}

function cryptoCeiling(sim: SimProcess): Contender {
  return {
    name: 'crypto-ceiling',
    label: 'crypto ceiling (1 sign + 1 verify, bare loop)',
    concurrency: 1,
    usesSimulator: false,
    async setup() {
      // One real exchange supplies realistic bytes: a capture request and a signed answer.
      const segment = await freshSegment(sim, 1, PAYMENT);
      const credentials = antomCredentials(segment.endpoint);
      const privateKey = createPrivateKey(credentials.privateKey);
      const publicKey = createPublicKey(credentials.antomPublicKey);
      const pool = new Pool(segment.endpoint.baseUrl, { connections: 1 });
      const bytes = await signedCapture(
        pool,
        credentials,
        privateKey,
        publicKey,
        paymentAt(segment, 0),
        segment.key(0),
      );
      await pool.close();
      return {
        op() {
          sign('sha256', bytes.requestContent, privateKey);
          if (!verify('sha256', bytes.responseContent, publicKey, bytes.responseSignature)) {
            throw new Error('the recorded answer stopped verifying');
          }
        },
      };
    },
  };
}

/**
 * Runs the Antom capture benchmark.
 *
 * @example
 * ```ts
 * const result = await antomThroughput(lib, sim, profile, log);
 * ```
 */
export async function antomThroughput(
  lib: Library,
  sim: SimProcess,
  profile: Profile,
  onSample: (contender: Contender, sample: SegmentSample, round: number) => void,
): Promise<ThroughputResult> {
  const contenders = [
    captureKit(lib, sim),
    handSigned(sim, false),
    handSigned(sim, true),
    cryptoCeiling(sim),
  ];
  const options = captureMeasureOptions(profile, ANTOM_CONCURRENCY);
  const results = await runInterleaved(contenders, {
    ...options,
    simulatorCpu: () => sim.cpuMicros(),
    onSample,
  });
  const [kit, sdk, handWritten, ceiling] = results as [
    (typeof results)[number],
    (typeof results)[number],
    (typeof results)[number],
    (typeof results)[number],
  ];
  return {
    kind: 'throughput',
    id: 'antom',
    title: `Antom capture throughput, concurrency ${ANTOM_CONCURRENCY}`,
    unit: 'captures/s',
    setup: [
      `\`POST /ams/sandbox/api/v1/payments/capture\`, ${ANTOM_CONCURRENCY} in flight (closed loop): request signed with the merchant RSA-2048 key,`,
      "answer verified with Antom's RSA-2048 public key. Each capture is a full capture (10.00 USD) of its own freshly authorized payment.",
      'The SDK-style contender sends the same bytes over undici but hands the PEM strings to `crypto.sign` / `crypto.verify` on every call, so the keys are parsed per call',
      '(the Java SDK rebuilds the key from its base64 string on every call, the Python SDK re-imports the PEM).',
      'The crypto ceiling is a bare loop of `crypto.sign` + `crypto.verify` with parsed keys over the bytes of one real exchange: no HTTP, no JSON — the most captures one core could sign and verify.',
      `Each capture segment starts from a freshly reset simulator, runs ${options.warmupOps} untimed warm-up captures, then about ${profile.captureSegmentMs / 1000} s of measured captures.`,
    ].join(' '),
    contenders: results,
    comparisons: [
      { subject: kit.name, baseline: ceiling.name, ratio: pairedRatio(kit, ceiling), target: 0.9 },
      { subject: kit.name, baseline: sdk.name, ratio: pairedRatio(kit, sdk), target: 3 },
      { subject: kit.name, baseline: handWritten.name, ratio: pairedRatio(kit, handWritten) },
      {
        subject: kit.name,
        baseline: handWritten.name,
        metric: 'client-cpu',
        ratio: pairedCpuRatio(kit, handWritten),
      },
    ],
    notes: [],
  };
}
