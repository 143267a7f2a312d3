/**
 * This workstation: the desk's home location (a store's counter and the fulfilment screen start
 * there), where shipping labels print and in which format, and where other documents print. These
 * live in this desktop's own config file, not in the shop's database; the core checks the printer
 * addresses and names the field of any mistake, which is shown on that field.
 */
import {
  Alert,
  Button,
  Card,
  Center,
  Code,
  Group,
  Loader,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { FolderOpen } from 'lucide-react';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import type { DocKindDto } from '../../bindings/DocKindDto';
import type { WorkstationDto } from '../../bindings/WorkstationDto';
import { ErrorCard } from '../../components/ErrorCard';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { useSaveWorkstation, useWorkstation } from './api';

type WorkstationValues = {
  homeLocation: string;
  labelPrinter: string;
  labelFormat: DocKindDto;
  documentPrinter: string;
};

const FIELDS = ['homeLocation', 'labelPrinter', 'labelFormat', 'documentPrinter'];

const FORMATS: { value: DocKindDto; label: string }[] = [
  { value: 'pdf', label: 'PDF (4×6 in), for laser or any printer' },
  { value: 'zpl', label: 'ZPL (thermal label printer, 203 dpi)' },
];

function toValues(w: WorkstationDto): WorkstationValues {
  return {
    homeLocation: w.homeLocation ?? '',
    labelPrinter: w.labelPrinter ?? '',
    labelFormat: w.labelFormat,
    documentPrinter: w.documentPrinter ?? '',
  };
}

const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());

function toDto(v: WorkstationValues, defaultFolder: string): WorkstationDto {
  return {
    homeLocation: blankToNull(v.homeLocation),
    labelPrinter: blankToNull(v.labelPrinter),
    labelFormat: v.labelFormat,
    documentPrinter: blankToNull(v.documentPrinter),
    defaultFolder,
  };
}

export function WorkstationSection() {
  const workstation = useWorkstation();
  // The home location select needs its options before the form sets its value.
  const locations = useLocations();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="This workstation">
      <Title order={3} size="h4">
        This workstation
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Saved on this desktop only: each desk can have its own store and its own printers.
      </Text>
      {workstation.isPending || locations.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading this workstation's settings" />
        </Center>
      ) : workstation.isError ? (
        <ErrorCard error={workstation.error} onRetry={() => void workstation.refetch()} />
      ) : (
        <WorkstationForm workstation={workstation.data} />
      )}
    </Card>
  );
}

function WorkstationForm({ workstation }: { workstation: WorkstationDto }) {
  const save = useSaveWorkstation();
  const locations = useLocations();
  const form = useForm<WorkstationValues>({ defaultValues: toValues(workstation) });
  useEffect(() => {
    form.reset(toValues(workstation));
  }, [workstation, form]);
  const known = (path: string) => FIELDS.includes(path);
  const submit = form.handleSubmit((values) =>
    save.mutate(toDto(values, workstation.defaultFolder), {
      onSuccess: () => notifications.show({ color: 'green', message: 'Workstation settings saved' }),
      onError: (error) => applyFieldError(error, form.setError, known),
    }),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced = appError && !(appError.field && known(fieldPath(appError.field)));
  const active = (locations.data ?? []).filter((l) => l.active);
  const home = workstation.homeLocation;
  const options = [
    { value: '', label: 'None (show every location)' },
    ...active.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
    // A saved home that is no longer active stays visible rather than silently changing.
    ...(home && !active.some((l) => l.code === home) ? [{ value: home, label: home }] : []),
  ];
  return (
    <form onSubmit={submit} noValidate aria-label="Workstation settings">
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <NativeSelect
            label="Home location"
            description="Where this desk works: its queues and store come first."
            data={options}
            {...form.register('homeLocation')}
            error={e.homeLocation?.message}
          />
          <NativeSelect
            label="Label format"
            description="What the label printer understands."
            data={FORMATS}
            {...form.register('labelFormat')}
            error={e.labelFormat?.message}
          />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Label printer"
            placeholder="raw://192.168.1.50:9100"
            description="Shipping labels, in the format on the left."
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.register('labelPrinter')}
            error={e.labelPrinter?.message}
          />
          <TextInput
            label="Document printer"
            placeholder="cups://Office_Laser"
            description="Packing slips, pick lists and purchase orders (PDF)."
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.register('documentPrinter')}
            error={e.documentPrinter?.message}
          />
        </SimpleGrid>
        <Alert variant="light" color="gray" icon={<FolderOpen size={18} />} role="note">
          <Stack gap={4}>
            <Text size="sm">
              A printer is written <Code>raw://HOST:9100</Code> (a network label printer), <Code>cups://QUEUE</Code> (a
              printer set up in the system) or <Code>file:///FOLDER</Code> (save the files there).
            </Text>
            <Text size="sm">
              With no printer set, documents are saved as files in{' '}
              <Code data-testid="default-folder">{workstation.defaultFolder}</Code>
            </Text>
          </Stack>
        </Alert>
        {unplaced ? <ErrorCard error={appError} /> : null}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.formState.isDirty}>
            Save workstation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
