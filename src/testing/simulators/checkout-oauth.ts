import { randomBytes } from 'node:crypto';
import type { ManualClock } from '../manual-clock.js';
import { checkoutId } from './checkout-ledger.js';

/**
 * The Checkout.com simulator's access endpoint (`POST /connect/token`, OAuth 2.0 client
 * credentials) and the tokens it issued. No HTTP here; `checkout.ts` serves it.
 */

/**
 * `startCheckoutSimulator({ oauth })`: the access key the simulator knows and how long its
 * tokens live.
 *
 * @example
 * ```ts
 * const sim = await startCheckoutSimulator({ oauth: { tokenTtlSeconds: 120 } });
 * const cko = checkout({ oauth: sim.oauthCredentials, baseUrl: sim.baseUrl });
 * ```
 */
export interface CheckoutSimulatorOAuthOptions {
  /** Default: a fresh `ack_…`. */
  readonly clientId?: string;
  /** Default: 32 random bytes, base64url. */
  readonly clientSecret?: string;
  /** `expires_in` of each token, seconds, measured on the simulator's clock. Default 3600. */
  readonly tokenTtlSeconds?: number;
  /** Scopes the access key may ask for. Default: `gateway` and its `gateway:…` sub-scopes. */
  readonly scopes?: readonly string[];
}

/**
 * One call to `/connect/token` the simulator answered.
 *
 * @example
 * ```ts
 * expect(sim.tokenRequests.filter((t) => t.outcome === 'issued')).toHaveLength(1);
 * ```
 */
export interface CheckoutSimTokenRequest {
  /** Simulator clock, epoch ms. */
  readonly at: number;
  /** How the client authenticated: HTTP Basic (the documented form) or `client_id` / `client_secret` in the body (the Node SDK's form). */
  readonly credentialsIn: 'basic' | 'body' | 'none';
  readonly scope: string;
  /** `issued`, or the OAuth `error` answered. */
  readonly outcome: string;
}

/** What the endpoint answers: status and JSON. */
interface TokenAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

const GATEWAY_SCOPES = [
  'gateway',
  'gateway:payment',
  'gateway:payment-details',
  'gateway:payment-authorizations',
  'gateway:payment-voids',
  'gateway:payment-captures',
  'gateway:payment-refunds',
];

interface IssuedToken {
  readonly expiresAt: number;
  revoked: boolean;
}

/**
 * Issues and checks bearer tokens for the Checkout.com simulator.
 *
 * @example
 * ```ts
 * const tokens = new CheckoutSimTokens(clock, {});
 * tokens.issue(request).status; // 200 with { access_token, token_type: 'Bearer', expires_in }
 * ```
 */
export class CheckoutSimTokens {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly log: CheckoutSimTokenRequest[] = [];
  readonly #ttlSeconds: number;
  readonly #scopes: ReadonlySet<string>;
  readonly #clock: ManualClock;
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(clock: ManualClock, options: CheckoutSimulatorOAuthOptions) {
    this.#clock = clock;
    this.clientId = options.clientId ?? checkoutId('ack');
    this.clientSecret = options.clientSecret ?? randomBytes(32).toString('base64url');
    this.#ttlSeconds = options.tokenTtlSeconds ?? 3600;
    if (!Number.isInteger(this.#ttlSeconds) || this.#ttlSeconds <= 0) {
      throw new RangeError(
        'startCheckoutSimulator({ oauth: { tokenTtlSeconds } }) must be a positive whole number of seconds.',
      );
    }
    this.#scopes = new Set(options.scopes ?? GATEWAY_SCOPES);
  }

  /** Answers one `POST /connect/token`. */
  issue(request: {
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly rawBody: Buffer;
  }): TokenAnswer {
    const at = this.#clock.now();
    const contentType = String(request.headers['content-type'] ?? '');
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const basic = parseBasic(request.headers.authorization);
    const inBody = form.has('client_id') || form.has('client_secret');
    const credentialsIn = basic ? 'basic' : inBody ? 'body' : 'none';
    const scope = form.get('scope') ?? 'gateway';
    const refuse = (status: number, error: string): TokenAnswer => {
      this.log.push({ at, credentialsIn, scope, outcome: error });
      return { status, body: { error } };
    };
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      return refuse(400, 'invalid_request');
    }
    if (basic && inBody) return refuse(400, 'invalid_request');
    const id = basic?.id ?? form.get('client_id');
    const secret = basic?.secret ?? form.get('client_secret');
    // RFC 6749 §5.2: 401 when the client authenticated with the Authorization header.
    if (id !== this.clientId || secret !== this.clientSecret) {
      return refuse(basic ? 401 : 400, 'invalid_client');
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return refuse(400, 'unsupported_grant_type');
    }
    const asked = scope.split(' ').filter(Boolean);
    if (asked.length === 0 || !asked.every((s) => this.#scopes.has(s))) {
      return refuse(400, 'invalid_scope');
    }
    const token = `cko_sim_${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(token, { expiresAt: at + this.#ttlSeconds * 1000, revoked: false });
    this.log.push({ at, credentialsIn, scope, outcome: 'issued' });
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: this.#ttlSeconds,
        token_type: 'Bearer',
        scope: asked.join(' '),
      },
    };
  }

  /** True when `authorization` is `Bearer <a token this simulator issued, still valid>`. */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    const issued = match?.[1] ? this.#tokens.get(match[1]) : undefined;
    return issued !== undefined && !issued.revoked && this.#clock.now() < issued.expiresAt;
  }

  /** Every token issued so far is refused from now on (the API answers 401). */
  revokeAll(): void {
    for (const issued of this.#tokens.values()) issued.revoked = true;
  }
}

function parseBasic(
  header: string | string[] | undefined,
): { readonly id: string; readonly secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(typeof header === 'string' ? header : '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-encoded.
  const formDecode = (value: string) => new URLSearchParams(`v=${value}`).get('v') ?? '';
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}
