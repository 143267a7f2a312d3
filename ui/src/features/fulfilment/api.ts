/**
 * Fulfilment: the calls (work queues, pick lists, packing scans, labels, carrier hand-over, tracking,
 * dropship, printing), their cache keys and hooks. Every rule (what is late, what a scan counts for,
 * whether a tracking number is right) is the core's; these only ask and refresh what a change touches.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatePickListDto } from '../../bindings/CreatePickListDto';
import type { DocumentDto } from '../../bindings/DocumentDto';
import type { FinishPackingDto } from '../../bindings/FinishPackingDto';
import type { LabelRequestDto } from '../../bindings/LabelRequestDto';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import type { TrackingInputDto } from '../../bindings/TrackingInputDto';
import { call } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

/** Typed wrappers of the fulfilment commands (kept here until they move into `lib/ipc.ts`). */
export const fulfilmentCommands = {
  workQueues: (location: string) => call('work_queues', { location }),
  createPickList: (input: CreatePickListDto) => call('create_pick_list', { input }),
  getPickList: (number: string) => call('get_pick_list', { number }),
  recentPickLists: (location: string) => call('recent_pick_lists', { location }),
  getShipment: (reference: string) => call('get_shipment', { reference }),
  packScan: (shipment: string, code: string) => call('pack_scan', { shipment, code }),
  packReset: (shipment: string) => call('pack_reset', { shipment }),
  finishPacking: (input: FinishPackingDto) => call('finish_packing', { input }),
  labelShipment: (input: LabelRequestDto) => call('label_shipment', { input }),
  handToCarrier: (shipments: string[]) => call('hand_to_carrier', { shipments }),
  addTrackingEvent: (input: TrackingInputDto) => call('add_tracking_event', { input }),
  importTracking: (text: string) => call('import_tracking', { text }),
  checkTracking: (number: string) => call('check_tracking', { number }),
  sendPurchaseOrder: (location: string, order: string) => call('send_purchase_order', { location, order }),
  dropshipShipped: (shipment: string, carrier: string, tracking: string) =>
    call('dropship_shipped', { shipment, carrier, tracking }),
  getWorkstation: () => call('get_workstation'),
  voidLabel: (shipment: string, reason: string) => call('void_label', { shipment, reason }),
  shipmentQuotes: (shipment: string) => call('shipment_quotes', { shipment }),
  printDocument: (document: DocumentDto, reference: string) =>
    call('print_document', { request: { document, reference } }),
} as const;

export const fulfilmentKeys = {
  all: ['fulfilment'] as const,
  queues: (location: string) => ['fulfilment', 'queues', location] as const,
  pickList: (number: string) => ['fulfilment', 'pick-list', number] as const,
  recentPickLists: (location: string) => ['fulfilment', 'recent-pick-lists', location] as const,
  shipment: (number: string) => ['fulfilment', 'shipment', number] as const,
  workstation: ['fulfilment', 'workstation'] as const,
};

/** How often the queues ask again while the screen is open (also on window focus). */
export const QUEUE_REFRESH_MS = 30_000;

export const workQueuesQuery = (location: string) =>
  queryOptions({
    queryKey: fulfilmentKeys.queues(location),
    queryFn: () => fulfilmentCommands.workQueues(location),
    refetchInterval: QUEUE_REFRESH_MS,
    refetchOnWindowFocus: true,
  });

export const pickListQuery = (number: string) =>
  queryOptions({ queryKey: fulfilmentKeys.pickList(number), queryFn: () => fulfilmentCommands.getPickList(number) });

export const recentPickListsQuery = (location: string) =>
  queryOptions({
    queryKey: fulfilmentKeys.recentPickLists(location),
    queryFn: () => fulfilmentCommands.recentPickLists(location),
  });

export const shipmentQuery = (number: string) =>
  queryOptions({
    queryKey: fulfilmentKeys.shipment(number),
    queryFn: () => fulfilmentCommands.getShipment(number),
    retry: false,
  });

export const workstationQuery = queryOptions({
  queryKey: fulfilmentKeys.workstation,
  queryFn: fulfilmentCommands.getWorkstation,
  staleTime: 60_000,
});

export const useWorkQueues = (location: string | null) =>
  useQuery({ ...workQueuesQuery(location ?? ''), enabled: Boolean(location) });
export const usePickList = (number: string) => useQuery(pickListQuery(number));
export const useRecentPickLists = (location: string | null) =>
  useQuery({ ...recentPickListsQuery(location ?? ''), enabled: Boolean(location) });
export const useShipment = (number: string) => useQuery(shipmentQuery(number));
export const useWorkstation = () => useQuery(workstationQuery);

/** After any change to a shipment: put the new shipment in the cache, refresh queues and orders. */
function useShipmentChanged() {
  const queryClient = useQueryClient();
  return (shipment: ShipmentDto) => {
    queryClient.setQueryData(fulfilmentKeys.shipment(shipment.number), shipment);
    void queryClient.invalidateQueries({ queryKey: [...fulfilmentKeys.all, 'queues'] });
    void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
  };
}

export function useCreatePickList() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fulfilmentCommands.createPickList,
    onSuccess: (list) => {
      queryClient.setQueryData(fulfilmentKeys.pickList(list.number), list);
      void queryClient.invalidateQueries({ queryKey: fulfilmentKeys.all });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
    },
  });
}

/** A scan while packing. Errors are the core's (wrong item, surplus) and change nothing. */
export function usePackScan() {
  const changed = useShipmentChanged();
  return useMutation({
    mutationFn: ({ shipment, code }: { shipment: string; code: string }) => fulfilmentCommands.packScan(shipment, code),
    onSuccess: changed,
  });
}

export function usePackReset() {
  const changed = useShipmentChanged();
  return useMutation({ mutationFn: fulfilmentCommands.packReset, onSuccess: changed });
}

export function useFinishPacking() {
  const changed = useShipmentChanged();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fulfilmentCommands.finishPacking,
    onSuccess: (s) => {
      changed(s);
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
    },
  });
}

export function useLabelShipment() {
  const changed = useShipmentChanged();
  return useMutation({ mutationFn: fulfilmentCommands.labelShipment, onSuccess: changed });
}

export function useHandToCarrier() {
  const changed = useShipmentChanged();
  return useMutation({
    mutationFn: fulfilmentCommands.handToCarrier,
    onSuccess: (list) => list.forEach(changed),
  });
}

export function useVoidLabel() {
  const changed = useShipmentChanged();
  return useMutation({
    mutationFn: ({ shipment, reason }: { shipment: string; reason: string }) =>
      fulfilmentCommands.voidLabel(shipment, reason),
    onSuccess: changed,
  });
}

export function useAddTrackingEvent() {
  const changed = useShipmentChanged();
  return useMutation({ mutationFn: fulfilmentCommands.addTrackingEvent, onSuccess: changed });
}

export function useImportTracking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fulfilmentCommands.importTracking,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: fulfilmentKeys.all });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.orders });
    },
  });
}

export function useSendPurchaseOrder() {
  const changed = useShipmentChanged();
  return useMutation({
    mutationFn: ({ location, order }: { location: string; order: string }) =>
      fulfilmentCommands.sendPurchaseOrder(location, order),
    onSuccess: changed,
  });
}

export function useDropshipShipped() {
  const changed = useShipmentChanged();
  return useMutation({
    mutationFn: ({ shipment, carrier, tracking }: { shipment: string; carrier: string; tracking: string }) =>
      fulfilmentCommands.dropshipShipped(shipment, carrier, tracking),
    onSuccess: changed,
  });
}
