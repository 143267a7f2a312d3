/** The title row of a screen: a heading on the left, actions on the right. */
import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="center" mb="sm" wrap="nowrap" gap="sm">
      <Title order={2} size="h3">
        {title}
      </Title>
      {children ? (
        <Group gap="xs" wrap="nowrap">
          {children}
        </Group>
      ) : null}
    </Group>
  );
}
