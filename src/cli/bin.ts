#!/usr/bin/env node
/**
 * The process glue of the `capture-kit` command: argv, the real streams and environment,
 * and the exit code. Everything else is in {@link main}, which tests call directly.
 * Started by bin/capture-kit.js (from dist/ in an installed package, through tsx in a clone).
 */
import { EXIT } from './exit-codes.js';
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`capture-kit: internal error: ${String(error)}\n`);
    process.exitCode = EXIT.failure;
  },
);
