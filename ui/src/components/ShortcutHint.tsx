/** A keyboard shortcut shown next to the thing it triggers. */
import { Kbd } from '@mantine/core';

export function ShortcutHint({ keys }: { keys: string }) {
  return (
    <span style={{ display: 'inline-flex', gap: 2 }} aria-hidden>
      {keys.split('+').map((k) => (
        <Kbd key={k} size="xs">
          {k}
        </Kbd>
      ))}
    </span>
  );
}
