import type { CliIo } from '../../src/cli/io.js';

/** An in-memory CliIo: what the command wrote, as text. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = {
    isTTY: false,
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

/** Creates a {@link CapturedIo} with only the given environment variables. */
export function capturedIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const stdout = sink();
  const stderr = sink();
  return { stdout: stdout.stream, stderr: stderr.stream, env, out: stdout.text, err: stderr.text };
}
