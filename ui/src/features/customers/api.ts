/**
 * Customers: the search (the core's name / e-mail / phone prefix search), a customer's figures, their
 * orders newest first and their timeline, paged by the core's cursor. Nothing is decided here: the
 * figures and the order of the timeline are the core's.
 */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

/** Timeline entries and orders asked for per page. */
export const TIMELINE_PAGE = 20;
export const ORDERS_PAGE = 10;

// Under the orders root too: a change to any order (a return, a refund) refreshes the customer page.
export const customerKeys = {
  search: (text: string) => [...sharedKeys.customers, 'search', text] as const,
  detail: (id: string) => [...sharedKeys.orders, 'customer', id, 'detail'] as const,
  orders: (id: string) => [...sharedKeys.orders, 'customer', id, 'orders'] as const,
  timeline: (id: string) => [...sharedKeys.orders, 'customer', id, 'timeline'] as const,
};

export function useCustomerSearch(search: string) {
  const text = search.trim();
  return useQuery({
    queryKey: customerKeys.search(text),
    queryFn: () => commands.searchCustomers(text),
    enabled: text.length >= 1,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export const useCustomerDetail = (id: string) =>
  useQuery({ queryKey: customerKeys.detail(id), queryFn: () => commands.customerDetail(id), retry: false });

export const useCustomerOrders = (id: string) =>
  useInfiniteQuery({
    queryKey: customerKeys.orders(id),
    queryFn: ({ pageParam }) => commands.customerOrders(id, pageParam, ORDERS_PAGE),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
    retry: false,
  });

export const useCustomerTimeline = (id: string) =>
  useInfiniteQuery({
    queryKey: customerKeys.timeline(id),
    queryFn: ({ pageParam }) => commands.customerTimeline(id, pageParam, TIMELINE_PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next ?? undefined,
    retry: false,
  });
