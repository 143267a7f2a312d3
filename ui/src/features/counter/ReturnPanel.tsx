/**
 * The counter's "Return" mode (Alt+R): the customer brings the goods and the receipt; the clerk scans
 * the order number or the order barcode and "Start a return" opens for that order. A return number
 * (R-…) opens the return itself, to receive it at the counter. Unknown codes show the core's message.
 */
import { Alert, Card, Stack, Text, TextInput, Title } from '@mantine/core';
import { ScanBarcode, XCircle } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useReturnScan } from './api';

export function ReturnPanel() {
  const scan = useReturnScan();
  const [code, setCode] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      setCode('');
      scan.clear();
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void scan.open(code).then((ok) => {
      if (!ok) ref.current?.select();
    });
  };
  return (
    <Card withBorder maw={720} aria-label="Return at the counter">
      <Title order={3} size="h4" mb="xs">
        Take a return
      </Title>
      <Stack gap="sm">
        <TextInput
          ref={ref}
          size="lg"
          label="Scan the receipt"
          description="The order number or the barcode on the receipt; a return number (R-…) opens that return"
          placeholder="SO-… or R-…"
          leftSection={<ScanBarcode size={20} />}
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            scan.clear();
          }}
          onKeyDown={onKeyDown}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {scan.error ? (
          <Alert color="red" variant="filled" role="alert" icon={<XCircle size={26} />}>
            <Text fw={700} size="lg">
              {scan.error}
            </Text>
          </Alert>
        ) : null}
      </Stack>
    </Card>
  );
}
