/** The one Mantine theme: calm colours, compact controls, a focus ring whenever the keyboard moves. */
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  focusRing: 'auto',
  fontFamily:
    'Inter, "Segoe UI", system-ui, -apple-system, "Cantarell", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "DejaVu Sans Mono", ui-monospace, monospace',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    Button: { defaultProps: { size: 'sm' } },
    Modal: { defaultProps: { centered: true, trapFocus: true, returnFocus: true, closeOnEscape: true } },
    Drawer: { defaultProps: { position: 'right', closeOnEscape: true } },
  },
});
