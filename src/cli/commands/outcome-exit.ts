import type { Result } from 'neverthrow';
import type { Capture } from '../../core/capture.js';
import type { CaptureError } from '../../core/errors.js';
import { forCli } from '../cli-wording.js';
import { EXIT } from '../exit-codes.js';
import { type CliIo, writeLine } from '../io.js';
import { createStyler, toJson } from '../output.js';

/** Prints a capture/resolve Result (human or JSON) and returns the exit code for its outcome. */
export function reportResult(
  io: CliIo,
  json: boolean,
  result: Result<Capture, CaptureError>,
): number {
  const style = createStyler(io.stdout, io.env);
  if (result.isOk()) {
    const capture = result.value;
    if (json) writeLine(io.stdout, toJson({ ok: true, capture: { ...capture, raw: undefined } }));
    else {
      const amount = capture.amount
        ? ` amount=${capture.amount.value} ${capture.amount.currency}`
        : '';
      writeLine(
        io.stdout,
        `${style.green(capture.status)} provider=${capture.provider} paymentId=${capture.paymentId}` +
          `${capture.captureId ? ` captureId=${capture.captureId}` : ''}${amount} idempotencyKey=${capture.idempotencyKey}`,
      );
    }
    return EXIT.ok;
  }
  const { cause: _cause, ...rest } = result.error;
  // The library's message names API fields and calls; here it names flags and commands.
  const error = { ...rest, message: forCli(rest.message, rest) };
  const printable = error;
  if (json) writeLine(io.stdout, toJson({ ok: false, error: printable }));
  else {
    const colour = error.outcome === 'unknown' ? style.yellow : style.red;
    writeLine(
      io.stderr,
      `${colour(`${error.outcome} (${error.code})`)}${error.providerCode ? ` providerCode=${error.providerCode}` : ''}` +
        `${error.idempotencyKey ? ` idempotencyKey=${error.idempotencyKey}` : ''}\n${error.message}`,
    );
  }
  if (error.outcome === 'unknown') return EXIT.unknown;
  if (error.outcome === 'failed') return EXIT.failed;
  return EXIT.notAttempted;
}
