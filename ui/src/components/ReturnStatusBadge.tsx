/** A return's status as a coloured badge, and the words for statuses and methods (several screens show them). */
import { Badge } from '@mantine/core';
import type { ReturnMethodDto } from '../bindings/ReturnMethodDto';
import type { ReturnStatusDto } from '../bindings/ReturnStatusDto';

export const METHOD_LABELS: Record<ReturnMethodDto, string> = {
  ship_back: 'Ship back',
  drop_off: 'Drop off',
};

export const RETURN_STATUS_LABELS: Record<ReturnStatusDto, string> = {
  authorized: 'Authorised',
  in_transit: 'In transit',
  partially_received: 'Partially received',
  received: 'Received',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

const RETURN_STATUS_COLORS: Record<ReturnStatusDto, string> = {
  authorized: 'blue',
  in_transit: 'indigo',
  partially_received: 'cyan',
  received: 'teal',
  closed: 'green',
  cancelled: 'gray',
};

export function ReturnStatusBadge({ status, size = 'sm' }: { status: ReturnStatusDto; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={RETURN_STATUS_COLORS[status]} variant="light" size={size} radius="sm">
      {RETURN_STATUS_LABELS[status]}
    </Badge>
  );
}
