/**
 * Printing a fulfilment document (labels, packing slip, pick list, purchase order) and saying where it
 * went: the printer the desk is set up with, or the printouts folder when none is set.
 */
import { Alert, Text } from '@mantine/core';
import { useState } from 'react';
import type { DocumentDto } from '../../bindings/DocumentDto';
import type { PrintedDto } from '../../bindings/PrintedDto';
import { toAppError } from '../../lib/ipc';
import { usePrintDocument } from './api';

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
