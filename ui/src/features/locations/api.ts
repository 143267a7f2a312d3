/** Locations: the list (shared with other screens through `locationsQuery`) and create / update. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LocationInputDto } from '../../bindings/LocationInputDto';
import { commands } from '../../lib/ipc';
import { sharedKeys, useLocations } from '../../lib/queries';

export { useLocations };

export function useSaveLocation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, location }: { id: string | null; location: LocationInputDto }) =>
      id === null ? commands.createLocation(location) : commands.updateLocation(id, location),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sharedKeys.locations });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
    },
  });
}
