/**
 * Returns, refunds and exchanges: the calls, their cache keys and hooks. Every rule (what may be
 * returned, what a refund comes to, whether a scan belongs to a return) is the core's; these only ask
 * and refresh what a change touches (the return, the queues, the order, inventory).
 */
import {
  keepPreviousData,
  queryOptions,
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { ExchangeInputDto } from '../../bindings/ExchangeInputDto';
import type { HeldActionDto } from '../../bindings/HeldActionDto';
import type { ReceiveUnitsDto } from '../../bindings/ReceiveUnitsDto';
import type { RefundInputDto } from '../../bindings/RefundInputDto';
import type { ReturnDto } from '../../bindings/ReturnDto';
import type { ReturnInputDto } from '../../bindings/ReturnInputDto';
import type { ReturnLabelRequestDto } from '../../bindings/ReturnLabelRequestDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

export const returnKeys = {
  all: sharedKeys.returns,
  options: (order: string) => ['returns', 'options', order] as const,
  preview: (input: ReturnInputDto | null) => ['returns', 'preview', input] as const,
  ret: (number: string) => ['returns', 'return', number] as const,
  forOrder: (order: string) => ['returns', 'order', order] as const,
  queue: (location: string) => ['returns', 'queue', location] as const,
  refundPreview: (ret: string, beforeReceipt: boolean) => ['returns', 'refund-preview', ret, beforeReceipt] as const,
};

export const returnOptionsQuery = (order: string) =>
  queryOptions({ queryKey: returnKeys.options(order), queryFn: () => commands.returnOptions(order), retry: false });
export const returnQuery = (number: string) =>
  queryOptions({ queryKey: returnKeys.ret(number), queryFn: () => commands.getReturn(number), retry: false });
export const orderReturnsQuery = (order: string) =>
  queryOptions({ queryKey: returnKeys.forOrder(order), queryFn: () => commands.orderReturns(order) });
export const returnsQueueQuery = (location: string) =>
  queryOptions({
    queryKey: returnKeys.queue(location),
    queryFn: () => commands.returnsQueue(location),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });

export const useReturnOptions = (order: string) => useQuery(returnOptionsQuery(order));
export const useReturn = (number: string) => useQuery(returnQuery(number));
export const useOrderReturns = (order: string) => useQuery(orderReturnsQuery(order));
export const useReturnsQueue = (location: string | null) =>
  useQuery({ ...returnsQueueQuery(location ?? ''), enabled: Boolean(location) });

/** The live preview of a return being put together (`null` = nothing to ask yet). Changes nothing. */
export const useReturnPreview = (input: ReturnInputDto | null) =>
  useQuery({
    queryKey: returnKeys.preview(input),
    queryFn: () => commands.previewReturn(input!),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });

export const useRefundPreview = (ret: string, beforeReceipt: boolean, enabled = true) =>
  useQuery({
    queryKey: returnKeys.refundPreview(ret, beforeReceipt),
    queryFn: () => commands.refundPreview(ret, beforeReceipt),
    placeholderData: keepPreviousData,
    enabled,
  });

/** After a change to a return: the new return in the cache; queues, previews, orders and stock refreshed. */
function useReturnChanged() {
  const queryClient = useQueryClient();
  return (ret: ReturnDto) => {
    queryClient.setQueryData(returnKeys.ret(ret.number), ret);
    void queryClient.invalidateQueries({
      predicate: (q) => q.queryKey[0] === returnKeys.all[0] && q.queryKey[1] !== 'return',
    });
    void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
    void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
  };
}

/** Refetches one return and everything around it (after a refund or an exchange). */
function useReturnTouched() {
  const queryClient = useQueryClient();
  return (number: string) => {
    void queryClient.invalidateQueries({ queryKey: returnKeys.all });
    void queryClient.invalidateQueries({ queryKey: returnKeys.ret(number) });
    void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
  };
}

export function useCreateReturn() {
  const changed = useReturnChanged();
  return useMutation({ mutationFn: (input: ReturnInputDto) => commands.createReturn(input), onSuccess: changed });
}

export function useReturnLabel() {
  const changed = useReturnChanged();
  return useMutation({ mutationFn: (input: ReturnLabelRequestDto) => commands.returnLabel(input), onSuccess: changed });
}

/** One scan (qty 1 with the code) or a counted line. The core refuses a wrong item or surplus. */
export function useReceiveReturn() {
  const changed = useReturnChanged();
  return useMutation({ mutationFn: (input: ReceiveUnitsDto) => commands.receiveReturn(input), onSuccess: changed });
}

export function useRefundReturn() {
  const touched = useReturnTouched();
  return useMutation({
    mutationFn: (input: RefundInputDto) => commands.refundReturn(input),
    onSuccess: (_, input) => touched(input.ret),
  });
}

export function useCreateExchange() {
  const touched = useReturnTouched();
  return useMutation({
    mutationFn: (input: ExchangeInputDto) => commands.createExchange(input),
    onSuccess: (_, input) => touched(input.ret),
  });
}

export function useCancelReturn() {
  const changed = useReturnChanged();
  return useMutation({
    mutationFn: ({ ret, reason }: { ret: string; reason: string }) => commands.cancelReturn(ret, reason),
    onSuccess: changed,
  });
}

export function useHeldStockAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: HeldActionDto) => commands.heldStockAction(input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: returnKeys.all });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
    },
  });
}

/** This desk's home location (the same cache entry the fulfilment screens and settings use). */
export const useWorkstation = () =>
  useQuery({ queryKey: ['fulfilment', 'workstation'] as const, queryFn: commands.getWorkstation, staleTime: 60_000 });

/** Exact SKU or barcode → product, or null (the exchange's line entry). */
export function findProduct(queryClient: QueryClient, code: string) {
  return queryClient.fetchQuery({
    queryKey: [...sharedKeys.products, 'find', code],
    queryFn: () => commands.findProduct(code),
    staleTime: 30_000,
  });
}
