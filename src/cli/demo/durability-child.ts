/**
 * The process the durability demo kills: it opens the embedded PGlite journal at argv[2]
 * (migrating it, which is the slow part, while the other scenarios run), says `ready`, then
 * captures the payment the parent names and waits for an answer that never comes — until
 * the parent sends SIGKILL. It exits by itself if the parent goes away first.
 */
import { createCaptureClient } from '../../core/client.js';
import { pgliteJournal } from '../../journals/postgres/index.js';
import { checkout } from '../../providers/checkout/index.js';

/** What the parent sends once it wants the capture to start. */
export interface DurabilityJob {
  readonly baseUrl: string;
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly paymentId: string;
  readonly idempotencyKey: string;
  /** Longer than the demo: this process is still waiting when it is killed. */
  readonly timeoutMs: number;
}

const dataDir = process.argv[2];
if (!dataDir || !process.send) throw new Error('usage: fork(durability-child, [dataDir])');
process.once('disconnect', () => process.exit(0));

const journal = pgliteJournal({ dataDir });
await journal.migrate();
process.send('ready');
process.once('message', (job: DurabilityJob) => {
  const client = createCaptureClient({
    providers: {
      cko: checkout({
        secretKey: job.secretKey,
        webhookSecret: job.webhookSecret,
        baseUrl: job.baseUrl,
        timeoutMs: job.timeoutMs,
      }),
    },
    journal,
  });
  void client.capture({
    provider: 'cko',
    paymentId: job.paymentId,
    idempotencyKey: job.idempotencyKey,
    final: true,
    context: { cardBrand: 'visa' },
  });
  process.send?.('capturing');
});
