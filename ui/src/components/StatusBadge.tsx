/** An order status as a coloured badge with the shop's words for it. */
import { Badge } from '@mantine/core';
import type { OrderStatusDto } from '../bindings/OrderStatusDto';

export const STATUS_LABELS: Record<OrderStatusDto, string> = {
  open: 'Open',
  backordered: 'Backordered',
  in_progress: 'In progress',
  partially_shipped: 'Partially shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  completed: 'Completed',
  cancelled: 'Cancelled',
  partially_returned: 'Partially returned',
  returned: 'Returned',
};

const STATUS_COLORS: Record<OrderStatusDto, string> = {
  open: 'blue',
  backordered: 'orange',
  in_progress: 'indigo',
  partially_shipped: 'cyan',
  shipped: 'teal',
  delivered: 'green',
  completed: 'green',
  cancelled: 'gray',
  partially_returned: 'grape',
  returned: 'violet',
};

export const ORDER_STATUSES = Object.keys(STATUS_LABELS) as OrderStatusDto[];

export function StatusBadge({ status, size = 'sm' }: { status: OrderStatusDto; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" size={size} radius="sm">
      {STATUS_LABELS[status]}
    </Badge>
  );
}
