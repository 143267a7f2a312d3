/** The routing settings form over the settings given, and putting the core's errors on its fields. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import { useForm, type Path, type UseFormReturn } from 'react-hook-form';
import type { ChannelDto } from '../../bindings/ChannelDto';
import type { LocationDto } from '../../bindings/LocationDto';
import type { RoutingSettingsDto } from '../../bindings/RoutingSettingsDto';
import { AppError } from '../../lib/ipc';
import { formPath, routingSchema, toValues, type RoutingValues } from './form';

export function useRoutingForm(
  settings: RoutingSettingsDto,
  channels: ChannelDto[],
  locations: LocationDto[],
  currency: string,
): UseFormReturn<RoutingValues> {
  const schema = useMemo(() => routingSchema(currency), [currency]);
  return useForm<RoutingValues>({
    resolver: zodResolver(schema),
    defaultValues: toValues(settings, channels, locations, currency),
  });
}

/** Sets an error from the core on the field it names; false when the form has no such field. */
export function placeError(error: unknown, form: UseFormReturn<RoutingValues>, values: RoutingValues): boolean {
  if (!(error instanceof AppError) || !error.field) return false;
  const path = formPath(error.field, values);
  if (!path) return false;
  form.setError(path as Path<RoutingValues>, { type: error.code, message: error.message }, { shouldFocus: true });
  return true;
}
