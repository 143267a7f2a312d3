/** The shop's words for return reasons, conditions, dispositions and refund targets (statuses and methods: the shared badge). */
import type { DispositionDto } from '../../bindings/DispositionDto';
import type { RefundToDto } from '../../bindings/RefundToDto';
import type { ReturnConditionDto } from '../../bindings/ReturnConditionDto';
import type { ReturnReasonDto } from '../../bindings/ReturnReasonDto';
import { METHOD_LABELS, RETURN_STATUS_LABELS, ReturnStatusBadge } from '../../components/ReturnStatusBadge';

export { METHOD_LABELS, RETURN_STATUS_LABELS, ReturnStatusBadge };

export const REASON_LABELS: Record<ReturnReasonDto, string> = {
  changed_mind: 'Changed mind',
  wrong_size: 'Wrong size',
  defective: 'Defective',
  damaged_in_transit: 'Damaged in transit',
  wrong_item: 'Wrong item sent',
  not_as_described: 'Not as described',
  arrived_late: 'Arrived late',
  other: 'Other',
};

export const CONDITION_LABELS: Record<ReturnConditionDto, string> = {
  unopened: 'Unopened',
  opened: 'Opened',
  damaged: 'Damaged',
};

export const DISPOSITION_LABELS: Record<DispositionDto, string> = {
  restock: 'Restock',
  damaged: 'Damaged',
  dispose: 'Dispose',
  vendor: 'Back to vendor',
};

/** Keys 1–4 at the receiving desk. */
export const DISPOSITIONS: DispositionDto[] = ['restock', 'damaged', 'dispose', 'vendor'];

export const REFUND_TO_LABELS: Record<RefundToDto, string> = {
  original: 'Original payment',
  store_credit: 'Store credit',
  exchange: 'Exchange credit',
};

export const options = <T extends string>(labels: Record<T, string>) =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

/** How a difference on an exchange may be paid. */
export const PAYMENT_METHODS = [
  { value: 'card', label: 'Card' },
  { value: 'cash', label: 'Cash' },
  { value: 'invoice', label: 'Invoice' },
  { value: 'gift_card', label: 'Gift card' },
  { value: '', label: 'Not paid yet' },
];
