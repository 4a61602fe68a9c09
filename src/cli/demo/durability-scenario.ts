import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createCaptureClient } from '../../core/client.js';
import { pgliteJournal } from '../../journals/postgres/index.js';
import { checkout } from '../../providers/checkout/index.js';
import { startFaultProxy } from '../../testing/fault-proxy.js';
import { DEMO_TIMEOUT_MS, type DemoEnvironment } from './demo-environment.js';
import type { DurabilityJob } from './durability-child.js';
import { expectThat, type Scenario } from './scenario.js';

/** How long the demo waits for the child's capture to reach the simulator. */
const REACH_MS = 30_000;

function pgliteInstalled(): boolean {
  try {
    import.meta.resolve('@electric-sql/pglite');
    return true;
  } catch {
    return false;
  }
}

/** The child script next to this file: `.ts` through tsx in a clone, `.js` in dist/. */
function forkChild(dataDir: string): ChildProcess {
  const typescript = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(
    new URL(`./durability-child${typescript ? '.ts' : '.js'}`, import.meta.url),
  );
  return fork(script, [dataDir], {
    execArgv: typescript ? ['--import', import.meta.resolve('tsx')] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function message(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the capturing process exited (${code})`)));
  });
}

/**
 * Checkout.com on the embedded PGlite journal: a child process captures, the simulator
 * commits, the answer is lost and the child is killed with SIGKILL while it waits. A fresh
 * client over the same data directory runs `reconcile()`: the intent the dead process left
 * `sending` ends `succeeded`, and the simulator holds exactly one capture.
 *
 * The child starts (and creates the journal, the slow part) as soon as the scenario list is
 * built, in its own process, so it overlaps the scenarios before it.
 */
export function durabilityScenario(env: DemoEnvironment): Scenario {
  const name =
    'process killed mid-capture → reconcile() on the PGlite journal, exactly one capture';
  if (!pgliteInstalled()) {
    return {
      provider: 'cko',
      name,
      async run() {
        return {
          outcome: 'skipped',
          passed: true,
          detail: 'needs @electric-sql/pglite: npm install @electric-sql/pglite',
        };
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'capture-kit-demo-'));
  const dataDir = join(dir, 'journal');
  const child = forkChild(dataDir);
  const ready = message(child);
  ready.catch(() => {});
  return {
    provider: 'cko',
    name,
    async run() {
      const proxy = await startFaultProxy({ target: env.checkout.baseUrl });
      try {
        expectThat((await ready) === 'ready', 'the capturing process did not open the journal');
        const payment = await env.checkout.authorize({
          amount: 7300n,
          currency: 'EUR',
          cardBrand: 'visa',
        });
        const key = `demo-durability-${payment.paymentId}`;
        // The simulator commits the capture; its answer never reaches the child.
        proxy.inject({ on: 'capture', kind: 'timeout_after_forward' });
        const capturing = message(child);
        const job: DurabilityJob = {
          baseUrl: proxy.baseUrl,
          ...env.checkout.credentials,
          paymentId: payment.paymentId,
          idempotencyKey: key,
          timeoutMs: 600_000,
        };
        child.send(job);
        expectThat((await capturing) === 'capturing', 'the child did not start the capture');
        const deadline = Date.now() + REACH_MS;
        while (!proxy.exchanges.some((e) => e.upstreamStatus !== undefined)) {
          expectThat(Date.now() < deadline, 'the capture did not reach the simulator');
          await delay(10);
        }
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;

        // "After the restart": a new client over the same data directory. Its clock is moved
        // past the dead attempt's in-flight window (the child's adapter timeout), which a
        // real restart would simply wait out.
        const journal = pgliteJournal({ dataDir });
        const client = createCaptureClient({
          providers: {
            cko: checkout({
              ...env.checkout.credentials,
              baseUrl: env.checkout.baseUrl,
              timeoutMs: DEMO_TIMEOUT_MS,
            }),
          },
          journal,
          now: () => Date.now() + 3_600_000,
        });
        try {
          const left = await journal.get('cko', key);
          expectThat(left?.state === 'sending', `the journal held ${left?.state ?? 'nothing'}`);
          await env.checkout.settle();
          const report = await client.reconcile();
          const item = report.items.find((i) => i.idempotencyKey === key);
          expectThat(item?.to === 'succeeded', `reconcile ended it ${item?.to ?? 'unclaimed'}`);
          expectThat(!item.resent, 'reconcile must find the capture, not send it again');
          const state = await env.checkout.payment(payment.paymentId);
          expectThat(
            state.captures.length === 1,
            `simulator holds ${state.captures.length} captures, expected exactly 1`,
          );
          return {
            outcome: 'killed while sending → reconcile: succeeded',
            captured: { currency: 'EUR', value: state.capturedTotal },
            passed: true,
            detail: 'the intent survived SIGKILL in PGlite; reconcile found the one capture',
          };
        } finally {
          await client.close();
          await journal.close();
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await proxy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
