import {
  type AntomCaptureResponse,
  type AntomNotifyCapture,
  antomCaptureResponseSchema,
  antomNotifyCaptureSchema,
} from './schemas.js';

/*
 * The capture answer and notifyCapture body, checked by hand for the shape every exchange
 * has: zod ran on every capture and webhook (about 1 µs of a ~25 µs webhook verification,
 * bench/FINDINGS.md). Anything the hand check does not recognize goes through the zod
 * schema, which stays the judge; the hand check accepts nothing the schema would refuse.
 * Both schemas are loose (unknown fields pass), so a body that passes is used as is.
 */

/**
 * Antom's answer to `capture`, as `antomCaptureResponseSchema.safeParse` would give it (the
 * schema runs only when the body is not of the usual shape, and gives the error).
 *
 * @example
 * ```ts
 * const parsed = parseCaptureResponse(answer.json);
 * if (parsed.success) parsed.data.result?.resultStatus;
 * ```
 */
export function parseCaptureResponse(
  json: unknown,
):
  | { readonly success: true; readonly data: AntomCaptureResponse }
  | ReturnType<typeof antomCaptureResponseSchema.safeParse> {
  if (captureShape(json)) return { success: true, data: json as AntomCaptureResponse };
  return antomCaptureResponseSchema.safeParse(json);
}

/**
 * A `notifyCapture` body, or `undefined` when the schema refuses it.
 *
 * @example
 * ```ts
 * const body = readNotifyCapture(JSON.parse(rawBody)); // AntomNotifyCapture | undefined
 * ```
 */
export function readNotifyCapture(json: unknown): AntomNotifyCapture | undefined {
  if (captureShape(json) && nullishString((json as Record<string, unknown>).notifyType)) {
    return json as AntomNotifyCapture;
  }
  const parsed = antomNotifyCaptureSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * One named read per field, not a loop over a list of names: a read by a variable name is a
 * keyed lookup V8 cannot specialize (about 0.1 µs each, eight per body), where a named read
 * stays monomorphic (bench/FINDINGS.md, session 6).
 */
function captureShape(json: unknown): boolean {
  if (!plainObject(json)) return false;
  if (
    !nullishString(json.captureRequestId) ||
    !nullishString(json.captureId) ||
    !nullishString(json.paymentId) ||
    !nullishString(json.captureTime) ||
    !nullishString(json.acquirerReferenceNo)
  ) {
    return false;
  }
  const result = json.result;
  if (result !== undefined && result !== null) {
    if (
      !plainObject(result) ||
      !nullishString(result.resultCode) ||
      !nullishString(result.resultStatus) ||
      !nullishString(result.resultMessage)
    ) {
      return false;
    }
  }
  const amount = json.captureAmount;
  if (amount !== undefined && amount !== null) {
    if (!plainObject(amount) || !nullishString(amount.currency)) return false;
    const value = amount.value;
    if (!nullishString(value) && !(typeof value === 'number' && Number.isFinite(value))) {
      return false;
    }
  }
  return true;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullishString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}
