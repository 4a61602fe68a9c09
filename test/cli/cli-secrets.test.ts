import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import {
  type AlipayV2Simulator,
  type AntomSimulator,
  type CheckoutSimulator,
  startAlipayV2Simulator,
  startAntomSimulator,
  startCheckoutSimulator,
} from '../../src/testing/index.js';
import { capturedIo } from './cli-io.js';

/**
 * Every error path of the CLI, run with real secrets configured (in the environment and in
 * a --config file), and some with a secret typed where it does not belong. No output —
 * human or --json, stdout or stderr — may contain any 16-character piece of any secret.
 */

/** The distinctive part of a secret: a PEM's base64 body, or the whole string. */
function material(secret: string): string {
  return secret.includes('-----BEGIN')
    ? secret
        .split('\n')
        .filter((line) => !line.startsWith('-----'))
        .join('')
    : secret;
}

function leaks(output: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  const flat = output.replaceAll('\n', '');
  for (const secret of secrets) {
    const text = material(secret);
    for (let i = 0; i + 16 <= text.length; i += 1) {
      if (flat.includes(text.slice(i, i + 16))) {
        found.push(`${text.slice(0, 6)}… (piece at ${i})`);
        break;
      }
    }
  }
  return found;
}

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly exit: number;
}

describe('no CLI error path prints a configured secret', () => {
  let cko: CheckoutSimulator;
  let antomSim: AntomSimulator;
  let wallet: AlipayV2Simulator;
  let dir: string;
  let secrets: string[];
  let cases: Case[];

  beforeAll(async () => {
    [cko, antomSim, wallet] = await Promise.all([
      startCheckoutSimulator(),
      startAntomSimulator(),
      startAlipayV2Simulator(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'capture-kit-secrets-'));
    const typed = 'sk_sbox_typedbymistake0123456789abcdef';
    const wrongKey = 'sk_sbox_wrongbutwellformed0123456789ab';
    secrets = [
      cko.credentials.secretKey,
      cko.credentials.webhookSecret,
      antomSim.credentials.privateKey,
      wallet.credentials.privateKey,
      typed,
      wrongKey,
    ];
    const env: NodeJS.ProcessEnv = {
      CAPTURE_KIT_CHECKOUT_SECRET_KEY: cko.credentials.secretKey,
      CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET: cko.credentials.webhookSecret,
      CAPTURE_KIT_CHECKOUT_BASE_URL: cko.baseUrl,
      CAPTURE_KIT_ANTOM_CLIENT_ID: antomSim.credentials.clientId,
      CAPTURE_KIT_ANTOM_PRIVATE_KEY: antomSim.credentials.privateKey,
      CAPTURE_KIT_ANTOM_PUBLIC_KEY: antomSim.credentials.antomPublicKey,
      CAPTURE_KIT_ANTOM_BASE_URL: antomSim.baseUrl,
      CAPTURE_KIT_ALIPAY_V2_CLIENT_ID: wallet.credentials.clientId,
      CAPTURE_KIT_ALIPAY_V2_PRIVATE_KEY: wallet.credentials.privateKey,
      CAPTURE_KIT_ALIPAY_V2_WALLET_PUBLIC_KEY: wallet.credentials.walletPublicKey,
      CAPTURE_KIT_ALIPAY_V2_BASE_URL: wallet.baseUrl,
    };
    const file = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const config = (name: string, providers: unknown) =>
      file(name, JSON.stringify({ providers }, null, 2));
    const ckoEntry = {
      kind: 'checkout',
      secretKey: cko.credentials.secretKey,
      baseUrl: cko.baseUrl,
    };
    const timeoutConfig = config('timeout.json', { cko: { ...ckoEntry, timeoutMs: 300 } });
    const closedPort = config('closed.json', {
      cko: { ...ckoEntry, baseUrl: 'http://127.0.0.1:1' },
    });
    const wrongKeyConfig = config('wrong-key.json', { cko: { ...ckoEntry, secretKey: wrongKey } });
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'payment_captured',
      data: { id: 'pay_1', action_id: 'act_1', amount: 100, currency: 'EUR' },
    });
    const bodyFile = file('body.json', body);

    const over = await cko.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'visa' });
    const jcb = await cko.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'jcb' });
    const late = await cko.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'visa' });
    const antomPayment = await antomSim.authorize({ amount: 2000n, currency: 'USD' });
    const walletPayment = await wallet.authorize({ amount: 2000n, currency: 'USD' });
    const capture = (provider: string, paymentId: string, ...more: string[]) => [
      'capture',
      '--provider',
      provider,
      '--payment-id',
      paymentId,
      ...more,
    ];
    const withEnv = (name: string, argv: string[], exit: number): Case => ({
      name,
      argv,
      env,
      exit,
    });

    cases = [
      // Usage errors, with a secret typed in the wrong place.
      withEnv('no command', [], EXIT.usage),
      withEnv('a secret as the command', [typed], EXIT.usage),
      withEnv('a secret as a positional argument', ['capture', typed], EXIT.usage),
      withEnv('a secret as a flag name', ['capture', `--${typed}`], EXIT.usage),
      withEnv('a secret flag', ['capture', `--secret-key=${typed}`], EXIT.usage),
      withEnv('a secret as --provider', capture(typed, 'pay_1'), EXIT.usage),
      withEnv(
        'a secret as --amount',
        capture('checkout', 'p', '--amount', typed, '--currency', 'EUR'),
        EXIT.usage,
      ),
      withEnv('a secret as --metadata', capture('checkout', 'p', '--metadata', typed), EXIT.usage),
      withEnv('a missing flag', ['resolve', '--provider', 'checkout'], EXIT.usage),
      withEnv('a secret as a webhook subcommand', ['webhook', typed], EXIT.usage),
      withEnv(
        'a secret in a malformed --header',
        [
          'webhook',
          'verify',
          '--provider',
          'checkout',
          '--body',
          bodyFile,
          '--header',
          `authorization ${typed}`,
        ],
        EXIT.usage,
      ),
      withEnv(
        'a --headers file that is not JSON',
        [
          'webhook',
          'verify',
          '--provider',
          'checkout',
          '--body',
          bodyFile,
          '--headers',
          file('h.txt', `authorization: ${typed}`),
        ],
        EXIT.usage,
      ),
      withEnv(
        'an unreadable --body',
        ['webhook', 'verify', '--provider', 'checkout', '--body', join(dir, 'none')],
        EXIT.usage,
      ),
      withEnv(
        'a secret as capabilities --provider',
        ['capabilities', '--provider', typed],
        EXIT.usage,
      ),
      // Configuration errors.
      {
        name: 'a --config JSON syntax error at an unquoted secret',
        argv: [
          'capabilities',
          '--config',
          file(
            'syntax.json',
            `{"providers": {"cko": {"kind": "checkout", "secretKey": ${cko.credentials.secretKey}}}}`,
          ),
        ],
        exit: EXIT.config,
      },
      {
        name: 'a --config secret with a "Bearer " prefix',
        argv: [
          'capabilities',
          '--config',
          config('bearer.json', {
            cko: { ...ckoEntry, secretKey: `Bearer ${cko.credentials.secretKey}` },
          }),
        ],
        exit: EXIT.config,
      },
      {
        name: 'a --config secret with whitespace',
        argv: [
          'capabilities',
          '--config',
          config('space.json', {
            cko: { ...ckoEntry, secretKey: ` ${cko.credentials.secretKey}` },
          }),
        ],
        exit: EXIT.config,
      },
      {
        name: 'a --config {env} that is not set',
        argv: [
          'capabilities',
          '--config',
          config('env.json', { cko: { ...ckoEntry, webhookSecret: { env: 'NOT_SET_ANYWHERE' } } }),
        ],
        exit: EXIT.config,
      },
      {
        name: 'a --config {file} that is missing',
        argv: [
          'capabilities',
          '--config',
          config('file.json', { cko: { ...ckoEntry, webhookSecret: { file: 'none.txt' } } }),
        ],
        exit: EXIT.config,
      },
      {
        name: 'a --config with an unknown kind',
        argv: [
          'capabilities',
          '--config',
          config('kind.json', { cko: { ...ckoEntry, kind: cko.credentials.secretKey } }),
        ],
        exit: EXIT.config,
      },
      {
        name: 'an Antom private key that is not a key',
        argv: ['capabilities'],
        env: { ...env, CAPTURE_KIT_ANTOM_PRIVATE_KEY: wallet.credentials.privateKey.slice(0, 300) },
        exit: EXIT.config,
      },
      {
        name: 'a Checkout.com secret key pasted as the Alipay+ public key',
        argv: ['capabilities'],
        env: { ...env, CAPTURE_KIT_ALIPAY_V2_WALLET_PUBLIC_KEY: cko.credentials.secretKey },
        exit: EXIT.config,
      },
      {
        name: 'a Checkout.com secret key pasted as the environment',
        argv: ['capabilities'],
        env: { ...env, CAPTURE_KIT_CHECKOUT_ENVIRONMENT: cko.credentials.secretKey },
        exit: EXIT.config,
      },
      // Outcomes: declined, refused, unknown, unreachable, unauthenticated, not found.
      withEnv(
        'an over-capture',
        capture('checkout', over.paymentId, '--amount', '5000', '--currency', 'EUR'),
        EXIT.failed,
      ),
      withEnv(
        'an over-capture, --json',
        capture('checkout', over.paymentId, '--amount', '5000', '--currency', 'EUR', '--json'),
        EXIT.failed,
      ),
      withEnv(
        'a refused NonFinal capture',
        capture(
          'checkout',
          jcb.paymentId,
          '--amount',
          '100',
          '--currency',
          'EUR',
          '--not-final',
          '--card-brand',
          'jcb',
        ),
        EXIT.notAttempted,
      ),
      withEnv(
        'an Antom partial capture declined (full-only contract)',
        capture('antom', antomPayment.paymentId, '--amount', '100', '--currency', 'USD', '--json'),
        EXIT.failed,
      ),
      withEnv(
        'an Alipay+ over-capture',
        capture('alipayV2', walletPayment.paymentId, '--amount', '9000', '--currency', 'USD'),
        EXIT.failed,
      ),
      {
        name: 'a timeout after the capture committed',
        argv: [...capture('cko', late.paymentId), '--config', timeoutConfig],
        exit: EXIT.unknown,
      },
      {
        name: 'a closed port',
        argv: [...capture('cko', 'pay_x'), '--config', closedPort],
        exit: EXIT.notAttempted,
      },
      {
        name: 'a closed port, --json',
        argv: [...capture('cko', 'pay_x'), '--config', closedPort, '--json'],
        exit: EXIT.notAttempted,
      },
      {
        name: 'a wrong secret key (401)',
        argv: [...capture('cko', over.paymentId), '--config', wrongKeyConfig],
        exit: EXIT.failed,
      },
      withEnv(
        'resolve finds nothing',
        [
          'resolve',
          '--provider',
          'checkout',
          '--payment-id',
          over.paymentId,
          '--idempotency-key',
          'never-sent',
        ],
        EXIT.failed,
      ),
      withEnv(
        'a webhook without a signature',
        ['webhook', 'verify', '--provider', 'checkout', '--body', bodyFile],
        EXIT.webhookRejected,
      ),
      withEnv(
        'a webhook with a bad signature, --json',
        [
          'webhook',
          'verify',
          '--provider',
          'checkout',
          '--body',
          bodyFile,
          '--header',
          'cko-signature: 00',
          '--json',
        ],
        EXIT.webhookRejected,
      ),
    ];
  });

  afterAll(async () => {
    await Promise.all([cko.close(), antomSim.close(), wallet.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every error path, each with its exit code and no secret in any output', async () => {
    const problems: string[] = [];
    for (const { name, argv, env, exit } of cases) {
      if (name === 'a timeout after the capture committed')
        cko.injectFault({ kind: 'timeout_after_commit' });
      const io = capturedIo(env ?? {});
      const code = await main(argv, io);
      const output = io.out() + io.err();
      if (code !== exit) problems.push(`${name}: exit ${code}, expected ${exit}: ${output}`);
      if (output.trim() === '') problems.push(`${name}: printed nothing`);
      const leaked = leaks(output, secrets);
      if (leaked.length > 0) problems.push(`${name}: leaked ${leaked.join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
});
