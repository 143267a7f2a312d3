/**
 * Counter: product look-up for the scanner, customer quick find, placing the order, and handing a
 * pick-up order to the customer who comes to collect it, and taking a return from a scanned receipt.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { NewOrderDto } from '../../bindings/NewOrderDto';
import type { ProductDto } from '../../bindings/ProductDto';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { commands, toAppError } from '../../lib/ipc';
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

/**
 * A scanned receipt at the counter: a return number (R-…) opens that return; an order number or order
 * barcode opens "Start a return" for the order the core finds. Unknown codes: the core's message.
 */
export function useReturnScan() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (code: string) => {
    const c = code.trim();
    if (!c) return false;
    setError(null);
    setBusy(true);
    try {
      if (/^R-/i.test(c)) {
        const r = await commands.getReturn(c.toUpperCase());
        await navigate({ to: '/returns/$number', params: { number: r.number } });
      } else {
        const o = await commands.returnOptions(c);
        await navigate({ to: '/orders/$number/return', params: { number: o.order } });
      }
      return true;
    } catch (reason) {
      setError(toAppError(reason).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { open, error, busy, clear: () => setError(null) };
}
