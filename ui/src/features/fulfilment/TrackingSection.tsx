/**
 * A shipment's tracking: its events as a timeline (newest first, as the core lists them reversed) and
 * a form to add one by hand (kind, time, place, note → `add_tracking_event`). The order's status
 * follows by itself in the core.
 */
import { Button, Card, Grid, NativeSelect, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import type { TrackingKindDto } from '../../bindings/TrackingKindDto';
import { ErrorCard } from '../../components/ErrorCard';
import { formatDateTime } from '../../lib/dates';
import { toAppError } from '../../lib/ipc';
import { useAddTrackingEvent } from './api';
import { TRACKING_KINDS } from './format';

/** `datetime-local` text (the user's local time) → RFC 3339 UTC, or null for blank. */
export function localInputToUtc(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function TrackingSection({ shipment: s }: { shipment: ShipmentDto }) {
  const add = useAddTrackingEvent();
  const [kind, setKind] = useState<TrackingKindDto>('in_transit');
  const [at, setAt] = useState('');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const error = add.error ? toAppError(add.error) : null;
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const events = [...s.tracking].sort((a, b) => b.at.localeCompare(a.at));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      {
        reference: s.number,
        kind,
        at: localInputToUtc(at),
        place: place.trim() || null,
        note: note.trim() || null,
      },
      {
        onSuccess: () => {
          setPlace('');
          setNote('');
          setAt('');
          notifications.show({ color: 'green', message: `Tracking event added to ${s.number}` });
        },
      },
    );
  };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Card withBorder h="100%">
          <Title order={3} size="h5" mb="sm">
            Tracking
          </Title>
          {events.length === 0 ? (
            <Text c="dimmed" size="sm">
              No tracking events yet.
            </Text>
          ) : (
            <Timeline active={0} bulletSize={14} lineWidth={2} aria-label="Tracking timeline">
              {events.map((ev, i) => (
                <Timeline.Item
                  key={`${ev.at}-${ev.kind}-${i}`}
                  color={ev.kind === 'exception' ? 'red' : ev.kind === 'delivered' ? 'green' : 'blue'}
                  title={ev.label}
                >
                  <Text size="xs" c="dimmed">
                    {formatDateTime(ev.at)}
                    {ev.place ? ` · ${ev.place}` : ''} · {ev.source === 'manual' ? `by ${ev.actor}` : ev.source}
                  </Text>
                  {ev.note ? <Text size="sm">{ev.note}</Text> : null}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Card withBorder component="form" onSubmit={submit} aria-label="Add tracking event">
          <Title order={3} size="h5" mb="sm">
            Add tracking event
          </Title>
          <Stack gap="xs">
            <NativeSelect
              label="Event"
              data={TRACKING_KINDS}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as TrackingKindDto)}
              error={fieldError('kind')}
            />
            <TextInput
              type="datetime-local"
              label="When"
              description="Blank = now"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
              error={fieldError('at')}
            />
            <TextInput
              label="Place"
              value={place}
              onChange={(e) => setPlace(e.currentTarget.value)}
              error={fieldError('place')}
            />
            <TextInput
              label="Note"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={fieldError('note')}
            />
            {error && !['kind', 'at', 'place', 'note'].includes(error.field ?? '') ? <ErrorCard error={error} /> : null}
            <Button type="submit" loading={add.isPending} style={{ alignSelf: 'flex-end' }}>
              Add tracking event
            </Button>
          </Stack>
        </Card>
      </Grid.Col>
    </Grid>
  );
}
