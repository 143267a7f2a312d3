/**
 * Counter: product look-up for the scanner, customer quick find, placing the order, and handing a
 * pick-up order to the customer who comes to collect it.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { NewOrderDto } from '../../bindings/NewOrderDto';
import type { ProductDto } from '../../bindings/ProductDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

export const counterKeys = {
  find: (code: string) => [...sharedKeys.products, 'find', code] as const,
  customers: (search: string) => [...sharedKeys.customers, 'search', search] as const,
};

/** Exact SKU or barcode → product, or null. Repeat scans of the same code answer from the cache. */
export function findProduct(queryClient: QueryClient, code: string): Promise<ProductDto | null> {
  return queryClient.fetchQuery({
    queryKey: counterKeys.find(code),
    queryFn: () => commands.findProduct(code),
    staleTime: 30_000,
  });
}

export function useCustomerSearch(search: string) {
  const text = search.trim();
  return useQuery({
    queryKey: counterKeys.customers(text),
    queryFn: () => commands.searchCustomers(text),
    enabled: text.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export function useCreateOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (order: NewOrderDto) => commands.createOrder(order),
    onSuccess: () => {
      // A new order reserves stock, may create a customer, and appears in the orders list.
      for (const key of [sharedKeys.orders, sharedKeys.inventory, sharedKeys.products, sharedKeys.customers]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
    },
  });
}

/** What a scanned pick-up order holds for the customer: asked again for every scan, never cached. */
export function usePickupLookup() {
  return useMutation({ mutationFn: (code: string) => commands.pickupHandover(code) });
}

/** Hands the ready shipments over once the name matches; the order and the stock change. */
export function useHandOver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ code, name }: { code: string; name: string }) => commands.handOver(code, name),
    onSuccess: () => {
      for (const key of [sharedKeys.orders, sharedKeys.inventory, sharedKeys.products]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
    },
  });
}
