import { randomBytes } from 'node:crypto';
import type { StripeCaptureInput, StripeLedgerRefusal } from './stripe-ledger.js';

/**
 * How the Stripe simulator reads a form body the way Stripe does: bracketed names
 * (`metadata[k]`, `expand[]`), the capture's parameters and their validation (a failure here
 * runs no endpoint, so nothing is saved for the key).
 */

const CAPTURE_PARAMS = new Set([
  'amount_to_capture',
  'final_capture',
  'metadata',
  'expand',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'application_fee_amount',
]);

/** A parsed form value. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** Parses `a=1&metadata[k]=v&expand[]=x` into nested values, as Stripe reads forms. */
export function parseForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!match) continue;
    const path = [
      match[1] ?? '',
      ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i += 1) {
      const segment = path[i] ?? '';
      const last = i === path.length - 1;
      if (Array.isArray(node)) {
        if (last) node.push(value);
        break;
      }
      if (last) {
        node[segment] = value;
        break;
      }
      const next = path[i + 1] === '' ? [] : {};
      const existing = node[segment];
      node[segment] = typeof existing === 'object' && existing !== null ? existing : next;
      node = node[segment] as Record<string, FormValue> | FormValue[];
    }
  }
  return root;
}

/** A stable form of parameters, for comparing a key's requests. */
export function canonical(value: FormValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(canonical);
  return Object.keys(value)
    .sort()
    .map((key) => [key, canonical(value[key] as FormValue)]);
}

/** The capture's input, or the 400 Stripe answers for a malformed parameter. */
export function captureInput(
  paymentId: string,
  params: Record<string, FormValue>,
  idempotencyKey: string | undefined,
): (StripeCaptureInput & { readonly idempotencyKey: string }) | StripeLedgerRefusal {
  const invalid = (code: string, param: string, message: string): StripeLedgerRefusal => ({
    status: 400,
    type: 'invalid_request_error',
    code,
    param,
    message,
  });
  for (const name of Object.keys(params)) {
    if (!CAPTURE_PARAMS.has(name))
      return invalid('parameter_unknown', name, `Received unknown parameter: ${name}`);
  }
  const { amount_to_capture: amount, final_capture: final, metadata } = params;
  if (amount !== undefined && (typeof amount !== 'string' || !/^\d{1,12}$/.test(amount))) {
    return invalid(
      'parameter_invalid_integer',
      'amount_to_capture',
      'Invalid integer: amount_to_capture.',
    );
  }
  if (final !== undefined && final !== 'true' && final !== 'false') {
    return invalid('parameter_invalid_boolean', 'final_capture', 'Invalid boolean: final_capture.');
  }
  const entries: Record<string, string> = {};
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) {
      return invalid('parameter_invalid_object', 'metadata', 'Invalid object: metadata.');
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string' || key.length > 40 || value.length > 500) {
        return invalid(
          'parameter_invalid_string',
          `metadata[${key}]`,
          'Metadata keys hold at most 40 characters and values 500.',
        );
      }
      entries[key] = value;
    }
  }
  return {
    paymentId,
    // A request without a key is still one request: give it a unique key of its own.
    idempotencyKey: idempotencyKey ?? `sim-unkeyed-${randomBytes(8).toString('hex')}`,
    ...(amount !== undefined ? { amountToCapture: BigInt(amount) } : {}),
    finalCapture: final !== 'false',
    metadata: entries,
  };
}
