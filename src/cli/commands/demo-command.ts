import { toMajor } from '../../core/money.js';
import type { CapabilityRow } from '../demo/capability-scenarios.js';
import { runDemo } from '../demo/run-demo.js';
import { EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { createStyler, formatTable, toJson } from '../output.js';
import { parseFlags } from '../parse-flags.js';

const DEMO_HELP = `Usage: capture-kit demo [--json]

Starts the Antom, Checkout.com and Alipay+ v2 simulators in this process (loopback only,
no account, no key, no network) and drives the library through them:
  1. the capability matrix of each provider (Checkout.com per card brand)
  2. Antom: a full capture; a U answer resolved by inquiry; a partial refused before sending
  3. Checkout.com: NonFinal partial → pending → webhook → succeeded; the final rest; an over-capture
  4. Alipay+ v2: three captures, the last final; a fourth refused
  5. a timeout after the capture committed → unknown → resolved, exactly one capture

--json prints one machine-readable report instead of the live lines and the tables.
Colors appear only on a terminal (NO_COLOR turns them off).

Exit codes: 0 every scenario ended as expected; 1 at least one did not (the table says which);
            2 bad flag.`;

const FLAGS = { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } } as const;

const flag = (on: boolean) => (on ? 'yes' : 'no');

function matrixTable(rows: readonly CapabilityRow[]): string {
  return formatTable(
    [
      'provider',
      'context',
      'full',
      'partial',
      'multiple',
      'final flag',
      'max',
      'window',
      'delivery',
      'webhooks',
    ],
    rows.map(({ provider, context, capabilities: c }) => [
      provider,
      context,
      flag(c.fullCapture),
      flag(c.partialCapture),
      flag(c.multipleCaptures),
      flag(c.finalCaptureFlag),
      c.maxCaptures === undefined ? '-' : String(c.maxCaptures),
      c.captureWindowDays === undefined ? '-' : `${c.captureWindowDays} d`,
      c.resultDelivery,
      flag(c.webhooks),
    ]),
  );
}

/** `capture-kit demo`. */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('demo', argv, FLAGS);
  if (values.help) {
    writeLine(io.stdout, DEMO_HELP);
    return EXIT.ok;
  }
  const json = Boolean(values.json);
  const style = createStyler(io.stdout, io.env);
  const live = !json && Boolean(io.stdout.isTTY);
  let step = 0;
  const report = await runDemo(
    json
      ? {}
      : {
          onStart(scenario) {
            step += 1;
            if (live)
              io.stdout.write(`${style.dim('…')} ${step}. ${scenario.provider}: ${scenario.name}`);
          },
          onEnd(result) {
            const mark = result.passed ? style.green('✔') : style.red('✘');
            const line = `${mark} ${step}. ${result.provider}: ${result.scenario} ${style.dim(`(${Math.round(result.ms)} ms)`)}`;
            if (live) io.stdout.write('\r\u001b[2K');
            writeLine(io.stdout, result.passed ? line : `${line}\n    ${style.red(result.detail)}`);
          },
        },
  );
  if (json) {
    writeLine(io.stdout, toJson(report));
    return report.passed ? EXIT.ok : EXIT.failure;
  }
  writeLine(io.stdout);
  writeLine(io.stdout, style.bold('Capabilities'));
  writeLine(io.stdout, matrixTable(report.capabilities));
  writeLine(io.stdout);
  writeLine(io.stdout, style.bold('Scenarios'));
  writeLine(
    io.stdout,
    formatTable(
      ['provider', 'scenario', 'outcome', 'captured', 'time', 'result'],
      report.scenarios.map((r) => [
        r.provider,
        r.scenario,
        r.outcome,
        r.captured ? `${toMajor(r.captured)} ${r.captured.currency}` : '-',
        `${Math.round(r.ms)} ms`,
        r.passed ? style.green('pass') : style.red('FAIL'),
      ]),
    ),
  );
  writeLine(io.stdout);
  const failed = report.scenarios.filter((r) => !r.passed);
  if (failed.length === 0) {
    writeLine(
      io.stdout,
      style.green(
        `All ${report.scenarios.length} scenarios passed in ${Math.round(report.totalMs)} ms.`,
      ),
    );
    return EXIT.ok;
  }
  writeLine(
    io.stderr,
    style.red(`${failed.length} of ${report.scenarios.length} scenarios did not end as expected:`),
  );
  for (const r of failed) writeLine(io.stderr, `  ${r.provider}: ${r.scenario}: ${r.detail}`);
  return EXIT.failure;
}
