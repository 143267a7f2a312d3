/** Shows a failed call as a readable card: a title for the kind of problem, the core's sentence, a retry. */
import { Alert, Button, Group, Text } from '@mantine/core';
import { AlertTriangle } from 'lucide-react';
import type { ErrorCodeDto } from '../bindings/ErrorCodeDto';
import { toAppError } from '../lib/ipc';

const TITLES: Record<ErrorCodeDto, string> = {
  invalid: 'Please check the input',
  not_found: 'Not found',
  conflict: 'Already exists',
  out_of_stock: 'Not enough stock',
  invalid_transition: 'Not possible in this status',
  database: 'The database is not answering',
  internal: 'Something went wrong',
};

export function errorTitle(error: unknown): string {
  return TITLES[toAppError(error).code];
}

export function ErrorCard({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const appError = toAppError(error);
  return (
    <Alert
      color={appError.code === 'invalid' || appError.code === 'out_of_stock' ? 'orange' : 'red'}
      variant="light"
      title={title ?? TITLES[appError.code]}
      icon={<AlertTriangle size={18} />}
      role="alert"
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {appError.message}
        </Text>
        {onRetry ? (
          <Button size="xs" variant="white" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
