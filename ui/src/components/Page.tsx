/** A screen's frame: fills the space beside the navigation; `fill` lets a grid take the remaining height. */
import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

export function Page({ children, fill = false }: { children: ReactNode; fill?: boolean }) {
  return (
    <Box
      p="md"
      style={fill ? { display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 } : { maxWidth: 1280 }}
    >
      {children}
    </Box>
  );
}
