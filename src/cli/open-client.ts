import { type CaptureClient, createCaptureClient } from '../core/client.js';
import { loadProviders } from './config.js';
import { CliError, EXIT } from './exit-codes.js';
import { shown } from './parse-flags.js';

/**
 * Loads the configuration and checks `--provider` against it before anything is sent or
 * an idempotency key is generated: an unknown provider is a usage error (exit 2) for every
 * command, naming the flag and the providers that are configured.
 */
export function openClient(
  command: string,
  configPath: string | undefined,
  env: NodeJS.ProcessEnv,
  provider: string,
): CaptureClient {
  const providers = loadProviders(configPath, env);
  if (!Object.hasOwn(providers, provider)) {
    throw new CliError(
      `--provider ${shown(provider)} is not configured; configured: ${Object.keys(providers).join(', ')}. See: capture-kit ${command} --help`,
      EXIT.usage,
    );
  }
  return createCaptureClient({ providers });
}
