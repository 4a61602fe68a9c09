import type { ProviderResolveRequest } from '../../core/spec.js';
import { exchangeStop } from '../../provider-kit/exchange-stop.js';
import { readJsonBody } from '../../provider-kit/read-json-body.js';
import { type CheckoutHttp, paymentPath } from './http.js';
import { type CheckoutPaymentDetails, paymentDetailsSchema } from './schemas.js';

/** `GET /payments/{id}` read, or why it could not be. */
export type PaymentRead =
  | { readonly ok: true; readonly details: CheckoutPaymentDetails; readonly raw: unknown }
  | { readonly ok: false; readonly why: string };

/** Reads `GET /payments/{id}`: its status decides whether "not listed" means "absent". */
export async function readPayment(
  http: CheckoutHttp,
  request: ProviderResolveRequest,
): Promise<PaymentRead> {
  const sent = await http.send({
    method: 'GET',
    path: paymentPath(request.paymentId),
    stop: exchangeStop(request),
  });
  if (sent.isErr()) return { ok: false, why: sent.error.message.replace(/\.$/, '') };
  if (sent.value.status !== 200) {
    return { ok: false, why: `GET /payments/{id} answered HTTP ${sent.value.status}` };
  }
  const raw = readJsonBody(sent.value.body);
  const parsed = paymentDetailsSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, details: parsed.data, raw }
    : { ok: false, why: 'GET /payments/{id} answered 200 with a body that is not a payment' };
}
