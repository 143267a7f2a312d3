/**
 * Printing a document (labels, packing slip, pick list, purchase order, return receipt, return label)
 * and saying where it went: the printer the desk is set up with, or the printouts folder when none is
 * set; and the live check of a tracking number. Shared by fulfilment and returns.
 */
import { Alert, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { DocumentDto } from '../bindings/DocumentDto';
import type { PrintedDto } from '../bindings/PrintedDto';
import { commands, toAppError } from '../lib/ipc';

export const DOCUMENT_LABELS: Record<DocumentDto, string> = {
  labels: 'Labels',
  packing_slip: 'Packing slip',
  pick_list: 'Pick list',
  purchase_order: 'Purchase order',
  return_receipt: 'Return receipt',
  return_label: 'Return label',
};

export type PrintState = ReturnType<typeof usePrint>;

export function usePrint() {
  const mutation = useMutation({
    mutationFn: ({ document, reference }: { document: DocumentDto; reference: string }) =>
      commands.printDocument(document, reference),
  });
  const [last, setLast] = useState<{ document: DocumentDto; printed: PrintedDto } | null>(null);
  return {
    isPending: mutation.isPending,
    error: mutation.error,
    last,
    run: (document: DocumentDto, reference: string) => {
      setLast(null);
      mutation.mutate({ document, reference }, { onSuccess: (printed) => setLast({ document, printed }) });
    },
    clear: () => {
      setLast(null);
      mutation.reset();
    },
  };
}

/** "Labels (2 files) sent to cups://zebra" — or the core's reason it could not print. */
export function PrintedNote({ print }: { print: PrintState }) {
  if (print.error) {
    return (
      <Alert color="red" title="Not printed" role="alert" mb="sm" withCloseButton onClose={print.clear}>
        {toAppError(print.error).message}
      </Alert>
    );
  }
  if (!print.last) return null;
  const { document, printed } = print.last;
  const where = [...new Set(printed.destinations)];
  return (
    <Alert color="green" role="status" mb="sm" withCloseButton onClose={print.clear} aria-label="Printed">
      <Text size="sm">
        {DOCUMENT_LABELS[document]} ({printed.files} file{printed.files === 1 ? '' : 's'}) sent to{' '}
        <Text span ff="monospace" size="sm">
          {where.join(', ')}
        </Text>
      </Text>
    </Alert>
  );
}

/** Live verdict on one tracking number, from the core's check-digit rules. */
export function TrackingCheck({ number, onCarrier }: { number: string; onCarrier?: (name: string) => void }) {
  const [debounced] = useDebouncedValue(number.trim(), 200);
  const check = useQuery({
    queryKey: ['fulfilment', 'check', debounced],
    queryFn: async () => {
      const c = await commands.checkTracking(debounced);
      if (c.valid && c.carrierName) onCarrier?.(c.carrierName);
      return c;
    },
    enabled: debounced.length > 0,
    staleTime: Infinity,
  });
  if (!debounced || !check.data) return null;
  const c = check.data;
  return (
    <Text size="sm" fw={600} c={c.valid ? 'green' : 'red'} data-testid="tracking-check" role="status">
      {c.valid ? `${c.carrierName ?? ''} — check digit OK` : c.message}
    </Text>
  );
}
