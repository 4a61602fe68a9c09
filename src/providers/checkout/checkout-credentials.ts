import { err, ok, type Result } from 'neverthrow';
import type { Dispatcher } from 'undici';
import type { CaptureErrorCode } from '../../core/errors.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { createTransport, type TransportFailure } from '../../provider-kit/transport.js';
import type { ResolvedCheckoutOAuth } from './settings.js';

/**
 * Where the `Authorization` header of a Checkout.com call comes from: a secret key (a fixed
 * value) or OAuth client credentials (a bearer token fetched and cached). The value is only
 * ever written into request headers, never into errors, `raw` or diagnostics.
 */

/**
 * The access endpoint could not give a token, so the API call was never sent. Callers turn
 * it into a `CaptureError`: `not_attempted` for a capture (nothing reached the capture
 * endpoint), `unknown` for an inquiry (DESIGN §3: a failed inquiry says nothing).
 */
export interface CheckoutTokenFailure {
  readonly stage: 'token';
  readonly code: Extract<
    CaptureErrorCode,
    | 'authentication_failed'
    | 'access_denied'
    | 'rate_limited'
    | 'provider_error'
    | 'timeout'
    | 'network_error'
  >;
  readonly retryable: boolean;
  /** Names the setting at fault; never contains the secret or a token. */
  readonly message: string;
  /** The token endpoint's HTTP status, when it answered. */
  readonly httpStatus?: number;
  /** OAuth `error` of the token endpoint's answer (`invalid_client`, `invalid_scope`, …). */
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
}

/** Gives the `Authorization` value for the next call, and hears about a 401. */
export interface CheckoutCredentials {
  /** `'checkout({ secretKey })'` or `'checkout({ oauth })'`, for messages. */
  readonly setting: string;
  /**
   * The header value when it never changes (a secret key): sent as it is, without awaiting
   * {@link authorization} (a promise and a microtask turn per call, for nothing to fetch).
   * A fixed value is never refreshed: {@link rejected} is false for it, so a 401 is the
   * answer, with no retry.
   */
  readonly fixed?: string;
  /** The header value to send now (fetching a token first when none is usable). */
  authorization(
    signal?: AbortSignal,
  ): Promise<Result<string, CheckoutTokenFailure | TransportFailure>>;
  /**
   * The API answered 401 to a call sent with `authorization`. Returns true when asking
   * {@link authorization} again may give a different value (a token), false for a fixed key.
   */
  rejected(authorization: string): boolean;
  close(): Promise<void>;
}

/**
 * Credentials of a secret key: one fixed header value, nothing to refresh.
 *
 * @example
 * ```ts
 * const credentials = secretKeyCredentials(checkoutAuthorization(process.env.CKO_SECRET_KEY));
 * ```
 */
export function secretKeyCredentials(authorization: string): CheckoutCredentials {
  const value = ok<string, CheckoutTokenFailure | TransportFailure>(authorization);
  return {
    setting: 'checkout({ secretKey })',
    fixed: authorization,
    authorization: async () => value,
    rejected: () => false,
    close: async () => {},
  };
}

/** Options of {@link createCheckoutTokenSource}. */
interface CheckoutTokenSourceOptions {
  readonly oauth: ResolvedCheckoutOAuth;
  /** Whole-request deadline of a token request, ms. */
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
  /** Clock for token expiry; epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** Used when the token endpoint does not say how long a token lives (ASSUMED; Checkout.com says 3600 s). */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

/**
 * OAuth 2.0 client credentials against Checkout.com's access endpoint: `POST
 * /connect/token` with `grant_type=client_credentials&scope=…`, form-encoded, the access key
 * in `Authorization: Basic` (as Checkout.com's "OAuth 2.0 client credentials" page shows).
 *
 * - The token is cached until shortly before `expires_in` runs out (a tenth of its lifetime,
 *   at most a minute, counted from when the request was sent).
 * - Callers that need a token while one is being fetched share that one request.
 * - After a 401 from the API, {@link CheckoutCredentials.rejected} drops that token (only if it
 *   is still the cached one, so concurrent 401s share one refresh).
 *
 * @example
 * ```ts
 * const tokens = createCheckoutTokenSource({ oauth: resolveCheckoutSettings(settings).oauth! });
 * const header = await tokens.authorization(); // Ok('Bearer eyJ…')
 * ```
 */
export function createCheckoutTokenSource(
  options: CheckoutTokenSourceOptions,
): CheckoutCredentials {
  const { oauth } = options;
  const now = options.now ?? Date.now;
  const transport = createTransport({
    baseUrl: oauth.tokenUrl,
    settingName: 'checkout({ oauth: { tokenUrl } })',
    connections: 4,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
  });
  // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
  const basic = `Basic ${Buffer.from(`${formEncode(oauth.clientId)}:${formEncode(oauth.clientSecret)}`, 'utf8').toString('base64')}`;
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: oauth.scopes.join(' '),
  }).toString();
  let cached: { readonly header: string; readonly refreshAt: number } | undefined;
  let inflight: Promise<Result<string, CheckoutTokenFailure | TransportFailure>> | undefined;

  async function fetchToken(): Promise<Result<string, CheckoutTokenFailure | TransportFailure>> {
    const sentAt = now();
    const sent = await transport.send({
      method: 'POST',
      path: transport.basePath,
      headers: {
        authorization: basic,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
    });
    if (sent.isErr()) {
      return err(
        tokenFailure(sent.error.reason === 'timeout' ? 'timeout' : 'network_error', {
          message: `Could not get an access token from ${oauth.tokenUrl} (${sent.error.message}): check checkout({ oauth: { tokenUrl } }) and the network; nothing was sent to the API.`,
          retryable: true,
        }),
      );
    }
    const { status, headers } = sent.value;
    const json = readJsonBody(sent.value.body);
    if (status === 200) {
      const token = readToken(json);
      if (!token) {
        return err(
          tokenFailure('provider_error', {
            message: `The token endpoint ${oauth.tokenUrl} answered 200 without an access_token: check checkout({ oauth: { tokenUrl } }); nothing was sent to the API.`,
            httpStatus: status,
            retryable: true,
          }),
        );
      }
      const lifetime = token.expiresInSeconds * 1000 || DEFAULT_LIFETIME_MS;
      const header = `Bearer ${token.accessToken}`;
      cached = { header, refreshAt: sentAt + lifetime - Math.min(60_000, lifetime / 10) };
      return ok(header);
    }
    return err(refusal(status, json, headers['retry-after'], oauth));
  }

  return {
    setting: 'checkout({ oauth })',
    async authorization(signal) {
      if (cached && now() < cached.refreshAt) return ok(cached.header);
      if (!inflight) {
        inflight = fetchToken();
        // Cleared once settled, so a failure is not cached and the next call asks again.
        void inflight.finally(() => {
          inflight = undefined;
        });
      }
      return signal ? raceAbort(inflight, signal) : inflight;
    },
    rejected(authorization) {
      if (cached?.header === authorization) cached = undefined;
      return true;
    },
    close: () => transport.close(),
  };
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function readToken(
  json: unknown,
): { readonly accessToken: string; readonly expiresInSeconds: number } | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const {
    access_token: accessToken,
    expires_in: expiresIn,
    token_type: tokenType,
  } = json as Record<string, unknown>;
  if (typeof accessToken !== 'string' || !/^[\x21-\x7E]+$/.test(accessToken)) return undefined;
  if (tokenType !== undefined && (typeof tokenType !== 'string' || !/^bearer$/i.test(tokenType)))
    return undefined;
  const seconds =
    typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 0;
  return { accessToken, expiresInSeconds: seconds };
}

function tokenFailure(
  code: CheckoutTokenFailure['code'],
  details: Omit<CheckoutTokenFailure, 'stage' | 'code'>,
): CheckoutTokenFailure {
  return { stage: 'token', code, ...details };
}

/** A non-200 answer of the token endpoint. Only the OAuth `error` code is kept, never the body. */
function refusal(
  status: number,
  json: unknown,
  retryAfter: string | undefined,
  oauth: ResolvedCheckoutOAuth,
): CheckoutTokenFailure {
  const raw =
    json && typeof json === 'object' ? (json as Record<string, unknown>).error : undefined;
  const error = typeof raw === 'string' && /^[a-z_]{1,64}$/.test(raw) ? raw : undefined;
  const said = `${oauth.tokenUrl} answered HTTP ${status}${error ? ` (${error})` : ''}`;
  const base = { httpStatus: status, ...(error ? { providerCode: error } : {}) };
  if (error === 'invalid_scope') {
    return tokenFailure('access_denied', {
      ...base,
      retryable: false,
      message: `The token endpoint ${said}: the access key may not use the scopes ${JSON.stringify(oauth.scopes.join(' '))}. Fix checkout({ oauth: { scopes } }) or the key's scopes in the Dashboard; nothing was sent to the API.`,
    });
  }
  if (status === 429) {
    const seconds = Number(retryAfter);
    return tokenFailure('rate_limited', {
      ...base,
      retryable: true,
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
      message: `The token endpoint ${said}: too many token requests; wait and call again. Nothing was sent to the API.`,
    });
  }
  if (status >= 400 && status < 500) {
    return tokenFailure('authentication_failed', {
      ...base,
      retryable: false,
      message: `The token endpoint ${said}: it refused the access key. Check checkout({ oauth: { clientId, clientSecret } }) (an access key of this environment) and checkout({ oauth: { tokenUrl } }); nothing was sent to the API.`,
    });
  }
  return tokenFailure('provider_error', {
    ...base,
    retryable: true,
    message: `The token endpoint ${said}: no access token, so nothing was sent to the API. Call again later.`,
  });
}

async function raceAbort<T>(
  promise: Promise<Result<T, CheckoutTokenFailure | TransportFailure>>,
  signal: AbortSignal,
): Promise<Result<T, CheckoutTokenFailure | TransportFailure>> {
  const aborted = (): Result<T, TransportFailure> =>
    err({
      stage: 'not_sent',
      reason: 'aborted',
      message: 'The call was aborted while waiting for an access token; nothing was sent.',
    });
  if (signal.aborted) return aborted();
  return new Promise((resolve) => {
    const onAbort = () => resolve(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((result) => {
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    });
  });
}
