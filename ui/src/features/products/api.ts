/** Products: the paged catalogue and create / update. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProductInputDto } from '../../bindings/ProductInputDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

export const productKeys = {
  all: sharedKeys.products,
  list: (search: string | null) => [...sharedKeys.products, 'list', { search }] as const,
};

export function fetchProductsPage(search: string | null, offset: number, limit: number) {
  return commands.listProducts({ search, offset, limit });
}

export function useSaveProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, product }: { id: string | null; product: ProductInputDto }) =>
      id === null ? commands.createProduct(product) : commands.updateProduct(id, product),
    onSuccess: () => {
      // SKUs, names and prices show in inventory and at the counter too.
      void queryClient.invalidateQueries({ queryKey: sharedKeys.products });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
    },
  });
}
