/** Inventory: balances, stock moves (receive, adjust, transfer), transfers, the ledger and its check. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdjustStockDto } from '../../bindings/AdjustStockDto';
import type { InventoryQueryDto } from '../../bindings/InventoryQueryDto';
import type { ReceiveStockDto } from '../../bindings/ReceiveStockDto';
import type { TransferStockDto } from '../../bindings/TransferStockDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';
import type { InventorySearch } from './search';

export type InventoryFilters = Omit<InventoryQueryDto, 'offset' | 'limit'>;

export const inventoryKeys = {
  all: sharedKeys.inventory,
  list: (filters: InventoryFilters) => [...sharedKeys.inventory, 'list', filters] as const,
  transfers: (openOnly: boolean) => [...sharedKeys.inventory, 'transfers', { openOnly }] as const,
  movements: (sku: string, location: string | null) => [...sharedKeys.inventory, 'movements', sku, location] as const,
};

export function filtersFromSearch(search: InventorySearch): InventoryFilters {
  return { search: search.q?.trim() || null, location: search.location ?? null };
}

export function fetchInventoryPage(filters: InventoryFilters, offset: number, limit: number) {
  return commands.listInventory({ ...filters, offset, limit });
}

export const transfersQuery = (openOnly: boolean) =>
  queryOptions({ queryKey: inventoryKeys.transfers(openOnly), queryFn: () => commands.listTransfers(openOnly) });

export const useTransfers = (openOnly: boolean) => useQuery(transfersQuery(openOnly));

export function useMovements(sku: string | null, location: string | null) {
  return useQuery({
    queryKey: inventoryKeys.movements(sku ?? '', location),
    queryFn: () => commands.listMovements(sku ?? '', location),
    enabled: sku !== null,
  });
}

/** Every stock move changes balances, availability in the catalogue, and maybe open transfers. */
function useStockMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.products });
    },
  });
}

export const useReceiveStock = () => useStockMutation((input: ReceiveStockDto) => commands.receiveStock(input));
export const useAdjustStock = () => useStockMutation((input: AdjustStockDto) => commands.adjustStock(input));
export const useTransferStock = () => useStockMutation((input: TransferStockDto) => commands.transferStock(input));
export const useReceiveTransfer = () => useStockMutation((id: string) => commands.receiveTransfer(id));

export function useVerifyInventory() {
  return useMutation({ mutationFn: () => commands.verifyInventory() });
}
