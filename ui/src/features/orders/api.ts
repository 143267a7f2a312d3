/** Orders: the calls, their cache keys and hooks. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { OrderQueryDto } from '../../bindings/OrderQueryDto';
import type { OrderSortDto } from '../../bindings/OrderSortDto';
import type { RerouteDto } from '../../bindings/RerouteDto';
import type { StatusChangeDto } from '../../bindings/StatusChangeDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';
import type { OrderSortColumn, OrdersSearch } from './search';

export type OrderFilters = Omit<OrderQueryDto, 'offset' | 'limit'>;

export const orderKeys = {
  all: sharedKeys.orders,
  list: (filters: OrderFilters) => [...sharedKeys.orders, 'list', filters] as const,
  detail: (number: string) => [...sharedKeys.orders, 'detail', number] as const,
  /** `version` changes whenever the order does (status, timeline), so its shipments are asked again. */
  shipments: (number: string, version: string) => [...sharedKeys.orders, 'shipments', number, version] as const,
  /** Returns of the order and what may still come back (asked again when the order changes). */
  returns: (number: string, version: string) => [...sharedKeys.returns, 'order', number, version] as const,
  returnOptions: (number: string, version: string) => [...sharedKeys.returns, 'options', number, version] as const,
};

const SORT_TO_DTO: Record<OrderSortColumn, OrderSortDto> = {
  number: 'number',
  createdAt: 'created_at',
  customer: 'customer',
  total: 'total',
  status: 'status',
};

/** Newest first unless the URL says otherwise. */
export function filtersFromSearch(search: OrdersSearch): OrderFilters {
  const sort = search.sort ?? 'createdAt';
  return {
    search: search.q?.trim() || null,
    channel: search.channel ?? null,
    status: search.status ?? null,
    from: search.from ?? null,
    to: search.to ?? null,
    sort: SORT_TO_DTO[sort],
    descending: search.desc ?? (search.sort === undefined ? true : false),
  };
}

export function fetchOrdersPage(filters: OrderFilters, offset: number, limit: number) {
  return commands.listOrders({ ...filters, offset, limit });
}

export const orderQuery = (number: string) =>
  queryOptions({
    queryKey: orderKeys.detail(number),
    queryFn: () => commands.getOrder(number),
  });

export const useOrder = (number: string) => useQuery(orderQuery(number));

/** The order's shipments with their packages and tracking, asked again whenever the order changes. */
export const useOrderShipments = (order: OrderDetailDto) =>
  useQuery({
    queryKey: orderKeys.shipments(order.number, `${order.status}:${order.events.length}`),
    queryFn: () => commands.orderShipments(order.number),
    // While the new answer comes, keep showing this order's previous shipments (never another order's).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === order.number ? previous : undefined),
  });

export function useChangeOrderStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: StatusChangeDto) => commands.changeOrderStatus(change),
    onSuccess: (order: OrderDetailDto) => {
      queryClient.setQueryData(orderKeys.detail(order.number), order);
      void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
      // A cancel releases reservations; shipping consumes them.
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.products });
    },
  });
}

/** Takes the order's units away from one location and routes them again without it. */
export function useRerouteOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RerouteDto) => commands.rerouteOrder(input),
    onSuccess: (order: OrderDetailDto) => {
      queryClient.setQueryData(orderKeys.detail(order.number), order);
      void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.products });
    },
  });
}

const orderVersion = (order: OrderDetailDto) => `${order.status}:${order.events.length}`;

/** The order's returns, asked again whenever the order changes (status, timeline). */
export const useOrderReturns = (order: OrderDetailDto) =>
  useQuery({
    queryKey: orderKeys.returns(order.number, orderVersion(order)),
    queryFn: () => commands.orderReturns(order.number),
  });

/** What of the order may still be returned (for the "Start return" button). */
export const useReturnOptions = (order: OrderDetailDto) =>
  useQuery({
    queryKey: orderKeys.returnOptions(order.number, orderVersion(order)),
    queryFn: () => commands.returnOptions(order.number),
    retry: false,
  });
