import type { ProviderResolveRequest } from '../../core/spec.js';
import { CHECKOUT_IDEMPOTENCY_METADATA_KEY } from './build-capture-body.js';
import type { CheckoutPaymentAction } from './schemas.js';

/** The idempotency key an action carries in its metadata, when it carries one. */
function keyOf(action: CheckoutPaymentAction): string | undefined {
  const metadata = action.metadata;
  if (!metadata || typeof metadata !== 'object') return undefined;
  const value = (metadata as Record<string, unknown>)[CHECKOUT_IDEMPOTENCY_METADATA_KEY];
  return typeof value === 'string' ? value : undefined;
}

/** Approved first, then undecided, then declined: one key, one fate, the money wins. */
function mostAdvanced(actions: readonly CheckoutPaymentAction[]): CheckoutPaymentAction {
  const rank = (a: CheckoutPaymentAction) =>
    a.approved === true ? 0 : a.approved === false ? 2 : 1;
  return [...actions].sort((a, b) => rank(a) - rank(b))[0] as CheckoutPaymentAction;
}

/** Found, proven absent from the list (`{}`), or not provable either way (`unproven`). */
interface CaptureActionMatch {
  readonly action?: CheckoutPaymentAction;
  readonly by?: 'captureId' | 'idempotencyKey' | 'reference' | 'reference+amount';
  readonly unproven?: string;
}

/**
 * Finds THE capture sent with this key, or proves there is none. Strong matches: the action
 * id from the 202 (`captureId`), the key in the action's metadata, or the key itself as
 * `reference` (the adapter sends it there when the caller gave none). A caller's reference
 * can be shared by several captures (`ORD-${order.id}`), so it identifies one only together
 * with the amount, and only among actions that carry no other key; several candidates are
 * refused, never guessed.
 */
export function findCaptureAction(
  actions: readonly CheckoutPaymentAction[],
  request: ProviderResolveRequest,
  currency: string | undefined,
): CaptureActionMatch {
  const captures = actions.filter((action) => action.type === 'Capture');
  if (request.captureId !== undefined) {
    const byId = captures.find((a) => a.id === request.captureId);
    if (!byId) return {};
    const carried = keyOf(byId);
    if (carried !== undefined && carried !== request.idempotencyKey) {
      return {
        unproven: `action ${byId.id} carries idempotency key ${JSON.stringify(carried)} in its metadata, not ${JSON.stringify(request.idempotencyKey)}: the captureId and the key passed to resolve() disagree`,
      };
    }
    return { action: byId, by: 'captureId' };
  }
  const byKey = captures.filter((a) => keyOf(a) === request.idempotencyKey);
  if (byKey.length > 0) return { action: mostAdvanced(byKey), by: 'idempotencyKey' };

  const reference = request.reference ?? request.idempotencyKey;
  const byReference = captures.filter((a) => a.reference === reference && keyOf(a) === undefined);
  if (byReference.length === 0) return {};
  if (reference === request.idempotencyKey) {
    return { action: mostAdvanced(byReference), by: 'reference' };
  }
  const quoted = JSON.stringify(reference);
  if (!request.amount) {
    return {
      unproven: `${byReference.length} capture(s) with reference ${quoted} carry no idempotency key (sent before the adapter put it in metadata, or by another integration), and a reference may be shared by several captures: without the amount of this capture none of them can be claimed as this one`,
    };
  }
  const amount = request.amount;
  if (currency !== undefined && currency !== amount.currency) return {};
  const same = byReference.filter((a) => a.amount === Number(amount.value));
  if (same.length === 0) return {};
  if (same.length > 1) {
    return {
      unproven: `${same.length} captures have reference ${quoted} and amount ${amount.value} ${amount.currency}, and none carries this idempotency key: which one (if any) is this capture cannot be told`,
    };
  }
  return { action: same[0] as CheckoutPaymentAction, by: 'reference+amount' };
}
