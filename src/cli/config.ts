import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CaptureProviderV1 } from '../core/spec.js';
import { alipayV2 } from '../providers/alipay-v2/index.js';
import { antom } from '../providers/antom/index.js';
import { checkout } from '../providers/checkout/index.js';
import { CliError, EXIT } from './exit-codes.js';

/**
 * How the CLI learns about providers. Two sources, never flags (flags end up in shell
 * history and process lists, so secrets are refused there):
 *
 * 1. A JSON file (`--config <path>` or `CAPTURE_KIT_CONFIG`):
 *    `{ "providers": { "<name>": { "kind": "checkout", "secretKey": { "env": "CKO_SK" }, … } } }`
 *    Any value may be a literal, `{ "env": "NAME" }` (read from the environment) or
 *    `{ "file": "path" }` (read from a file, relative to the config file; trailing
 *    newline removed) — keys usually come from a file.
 * 2. Environment variables, one provider per kind, registered under the kind's name:
 *    `CAPTURE_KIT_ANTOM_CLIENT_ID`, `_PRIVATE_KEY`, `_PUBLIC_KEY`, `_BASE_URL`, `_REGION`;
 *    `CAPTURE_KIT_ALIPAY_V2_CLIENT_ID`, `_PRIVATE_KEY`, `_WALLET_PUBLIC_KEY`, `_BASE_URL`;
 *    `CAPTURE_KIT_CHECKOUT_SECRET_KEY`, `_WEBHOOK_SECRET`, `_BASE_URL`, `_ENVIRONMENT`.
 */
export const CONFIG_HELP = `Configuration (secrets only from the environment or a file, never from flags):
  --config <file>  or CAPTURE_KIT_CONFIG=<file>   JSON: {"providers": {"<name>": {"kind": "antom"|"alipayV2"|"checkout", ...settings}}}
                   a setting may be a literal, {"env": "VAR"} or {"file": "path"} (relative to the config file)
  or environment variables (provider registered under its kind's name):
    antom:    CAPTURE_KIT_ANTOM_CLIENT_ID, CAPTURE_KIT_ANTOM_PRIVATE_KEY, CAPTURE_KIT_ANTOM_PUBLIC_KEY,
              CAPTURE_KIT_ANTOM_BASE_URL | CAPTURE_KIT_ANTOM_REGION
    alipayV2: CAPTURE_KIT_ALIPAY_V2_CLIENT_ID, CAPTURE_KIT_ALIPAY_V2_PRIVATE_KEY,
              CAPTURE_KIT_ALIPAY_V2_WALLET_PUBLIC_KEY, CAPTURE_KIT_ALIPAY_V2_BASE_URL
    checkout: CAPTURE_KIT_CHECKOUT_SECRET_KEY, CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET,
              CAPTURE_KIT_CHECKOUT_BASE_URL | CAPTURE_KIT_CHECKOUT_ENVIRONMENT`;

type Env = Readonly<Record<string, string | undefined>>;
type Settings = Record<string, unknown>;

const KINDS = ['antom', 'alipayV2', 'checkout'] as const;
type Kind = (typeof KINDS)[number];

const ENV_SETTINGS: Record<Kind, Record<string, string>> = {
  antom: {
    clientId: 'CAPTURE_KIT_ANTOM_CLIENT_ID',
    privateKey: 'CAPTURE_KIT_ANTOM_PRIVATE_KEY',
    antomPublicKey: 'CAPTURE_KIT_ANTOM_PUBLIC_KEY',
    baseUrl: 'CAPTURE_KIT_ANTOM_BASE_URL',
    region: 'CAPTURE_KIT_ANTOM_REGION',
  },
  alipayV2: {
    clientId: 'CAPTURE_KIT_ALIPAY_V2_CLIENT_ID',
    privateKey: 'CAPTURE_KIT_ALIPAY_V2_PRIVATE_KEY',
    walletPublicKey: 'CAPTURE_KIT_ALIPAY_V2_WALLET_PUBLIC_KEY',
    baseUrl: 'CAPTURE_KIT_ALIPAY_V2_BASE_URL',
  },
  checkout: {
    secretKey: 'CAPTURE_KIT_CHECKOUT_SECRET_KEY',
    webhookSecret: 'CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET',
    baseUrl: 'CAPTURE_KIT_CHECKOUT_BASE_URL',
    environment: 'CAPTURE_KIT_CHECKOUT_ENVIRONMENT',
  },
};

/** Builds one adapter from plain settings; adapter errors become config errors naming the entry. */
export function buildAdapter(name: string, kind: string, settings: Settings): CaptureProviderV1 {
  try {
    switch (kind) {
      case 'antom':
        return antom(settings as unknown as Parameters<typeof antom>[0]);
      case 'alipayV2':
        return alipayV2(settings as unknown as Parameters<typeof alipayV2>[0]);
      case 'checkout':
        return checkout(settings as unknown as Parameters<typeof checkout>[0]);
      default:
        throw new CliError(
          `providers.${name}.kind must be one of ${KINDS.join(', ')} (got ${JSON.stringify(kind)}).`,
          EXIT.config,
        );
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`providers.${name}: ${message}`, EXIT.config);
  }
}

function resolveValue(value: unknown, where: string, env: Env, baseDir: string): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const ref = value as { env?: unknown; file?: unknown };
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof ref.env === 'string') {
      const fromEnv = env[ref.env];
      if (fromEnv === undefined || fromEnv === '') {
        throw new CliError(
          `${where} refers to environment variable ${ref.env}, which is not set.`,
          EXIT.config,
        );
      }
      return fromEnv;
    }
    if (keys.length === 1 && typeof ref.file === 'string') {
      const path = resolve(baseDir, ref.file);
      try {
        return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      } catch {
        throw new CliError(`${where} refers to file ${path}, which cannot be read.`, EXIT.config);
      }
    }
  }
  return value;
}

/** Reads providers from `--config` / `CAPTURE_KIT_CONFIG`, else from environment variables. */
export function loadProviders(
  configPath: string | undefined,
  env: Env,
): Record<string, CaptureProviderV1> {
  const path = configPath ?? env.CAPTURE_KIT_CONFIG;
  if (path) return loadFromFile(path, env);
  const providers: Record<string, CaptureProviderV1> = {};
  for (const kind of KINDS) {
    const settings: Settings = {};
    for (const [setting, variable] of Object.entries(ENV_SETTINGS[kind])) {
      const value = env[variable];
      if (value !== undefined && value !== '') settings[setting] = value;
    }
    if (Object.keys(settings).length > 0) providers[kind] = buildAdapter(kind, kind, settings);
  }
  if (Object.keys(providers).length === 0) {
    throw new CliError(`No provider is configured.\n${CONFIG_HELP}`, EXIT.config);
  }
  return providers;
}

function loadFromFile(path: string, env: Env): Record<string, CaptureProviderV1> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`--config ${path} cannot be read.`, EXIT.config);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `--config ${path} is not valid JSON (${(error as Error).message}).`,
      EXIT.config,
    );
  }
  const entries = (parsed as { providers?: unknown })?.providers;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new CliError(
      `--config ${path} must have an object "providers": {"<name>": {"kind": …}}.`,
      EXIT.config,
    );
  }
  const baseDir = dirname(resolve(path));
  const providers: Record<string, CaptureProviderV1> = {};
  for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new CliError(`providers.${name} must be an object with a "kind".`, EXIT.config);
    }
    const { kind, ...rest } = raw as Settings;
    const settings: Settings = {};
    for (const [key, value] of Object.entries(rest)) {
      settings[key] = resolveValue(value, `providers.${name}.${key}`, env, baseDir);
    }
    providers[name] = buildAdapter(name, String(kind), settings);
  }
  if (Object.keys(providers).length === 0) {
    throw new CliError(`--config ${path} lists no providers.`, EXIT.config);
  }
  return providers;
}
