/**
 * Printing a return document (the receipt, the return label) and saying where it went — the printer
 * the desk is set up with, or the printouts folder — or why not; and the live tracking-number check.
 */
import { Alert, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { DocumentDto } from '../../bindings/DocumentDto';
import type { PrintedDto } from '../../bindings/PrintedDto';
import { toAppError } from '../../lib/ipc';
import { checkTracking, usePrintDocument } from './api';

const NAMES: Partial<Record<DocumentDto, string>> = { return_receipt: 'Return receipt', return_label: 'Return label' };

export type PrintState = ReturnType<typeof usePrint>;

export function usePrint() {
  const mutation = usePrintDocument();
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
  return (
    <Alert color="green" role="status" mb="sm" withCloseButton onClose={print.clear} aria-label="Printed">
      <Text size="sm">
        {NAMES[document] ?? document} sent to{' '}
        <Text span ff="monospace" size="sm">
          {[...new Set(printed.destinations)].join(', ')}
        </Text>
      </Text>
    </Alert>
  );
}

/** Live verdict on a tracking number, from the core's check-digit rules. */
export function TrackingCheck({ number, onCarrier }: { number: string; onCarrier?: (name: string) => void }) {
  const [debounced] = useDebouncedValue(number.trim(), 200);
  const check = useQuery({
    queryKey: ['fulfilment', 'check', debounced],
    queryFn: async () => {
      const c = await checkTracking(debounced);
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
