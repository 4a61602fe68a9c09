/**
 * Child-process entry: runs one provider simulator so that the benchmark client process
 * measures only itself. Started by `sim-client.ts` as
 * `node --import tsx bench/sim-process.ts <checkout|antom> <compiled library dir>` with an IPC
 * channel; the simulator is imported from the compiled library (see `library.ts`).
 *
 * On start it prints ONE JSON line on stdout: `{ "baseUrl": …, "credentials": {…} }`
 * (credentials are generated here at start-up and travel only through this pipe; nothing
 * is written to disk). Then it answers IPC requests:
 * - `{ id, op: 'authorize', count, amount, currency, cardBrand }` → `{ id, paymentIds }`
 *   (payments are created in-process with the simulator's own `authorize()`, no HTTP);
 * - `{ id, op: 'reset' }` → a fresh simulator (new port, new keys, empty state)
 *   `{ id, baseUrl, credentials }`: every measured segment starts from the same empty state;
 * - `{ id, op: 'cpu' }` → `{ id, cpuMicros }` (user + system CPU of this process), so the
 *   benchmark can say how busy the simulator was;
 * - `{ id, op: 'close' }` → closes the simulator and exits.
 * The process also exits when its parent goes away (IPC disconnect).
 */
import { loadSimulators, type Simulators } from './library.js';

/** The simulators this process can run. */
export type SimKind = 'checkout' | 'antom';

/** What every request carries. */
interface SimRequestBase {
  readonly id: number;
}

/** IPC requests understood by this process. */
export type SimProcessRequest = SimRequestBase &
  (
    | {
        readonly op: 'authorize';
        readonly count: number;
        readonly amount: string;
        readonly currency: string;
        readonly cardBrand?: string;
      }
    | { readonly op: 'reset' }
    | { readonly op: 'cpu' }
    | { readonly op: 'close' }
  );

/** What `start` prints and `reset` answers. */
export interface SimEndpoint {
  readonly baseUrl: string;
  readonly credentials: Readonly<Record<string, string>>;
}

interface RunningSim {
  readonly baseUrl: string;
  readonly credentials: object;
  authorize(options: { amount: bigint; currency: string; cardBrand?: string }): Promise<{
    paymentId: string;
  }>;
  close(): Promise<void>;
}

async function start(simulators: Simulators, kind: SimKind): Promise<RunningSim> {
  if (kind === 'checkout') return simulators.startCheckoutSimulator();
  return simulators.startAntomSimulator();
}

function endpoint(sim: RunningSim): SimEndpoint {
  return {
    baseUrl: sim.baseUrl,
    credentials: Object.fromEntries(
      Object.entries(sim.credentials).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    ),
  };
}

async function main(): Promise<void> {
  const [kind, libraryDir] = process.argv.slice(2);
  if ((kind !== 'checkout' && kind !== 'antom') || !libraryDir) {
    throw new Error(`usage: sim-process.ts <checkout|antom> <library dir> (got ${String(kind)})`);
  }
  if (!process.send) throw new Error('sim-process.ts must be started with an IPC channel.');
  const send = (message: unknown) => process.send?.(message);
  const simulators = await loadSimulators(libraryDir);
  let sim = await start(simulators, kind);

  process.on('disconnect', () => {
    void sim.close().finally(() => process.exit(0));
  });
  process.on('message', (raw) => {
    const request = raw as SimProcessRequest;
    void (async () => {
      try {
        switch (request.op) {
          case 'authorize': {
            const paymentIds: string[] = new Array(request.count);
            const amount = BigInt(request.amount);
            for (let i = 0; i < request.count; i++) {
              const payment = await sim.authorize({
                amount,
                currency: request.currency,
                ...(request.cardBrand ? { cardBrand: request.cardBrand } : {}),
              });
              paymentIds[i] = payment.paymentId;
            }
            send({ id: request.id, paymentIds });
            return;
          }
          case 'reset': {
            await sim.close();
            sim = await start(simulators, kind);
            send({ id: request.id, ...endpoint(sim) });
            return;
          }
          case 'cpu': {
            const usage = process.cpuUsage();
            send({ id: request.id, cpuMicros: usage.user + usage.system });
            return;
          }
          case 'close': {
            await sim.close();
            send({ id: request.id });
            process.disconnect();
            return;
          }
        }
      } catch (error) {
        send({ id: request.id, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  process.stdout.write(`${JSON.stringify(endpoint(sim))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sim-process: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
