/**
 * The routing settings form: values as typed (text for numbers, so a field can be empty while being
 * edited), to and from the DTO. Only the shape is checked here (a whole number, an amount); ranges
 * and codes are the core's to check, and its errors land on the field they name.
 */
import { z } from 'zod';
import type { ChannelDto } from '../../bindings/ChannelDto';
import type { LocationDto } from '../../bindings/LocationDto';
import type { RoutingObjectiveDto } from '../../bindings/RoutingObjectiveDto';
import type { RoutingSettingsDto } from '../../bindings/RoutingSettingsDto';
import { fieldPath } from '../../lib/form-errors';
import { minorToInput, parseMoney } from '../../lib/money';

const wholeNumber = z.string().trim().regex(/^\d+$/, 'A whole number');
const optionalWholeNumber = z.string().trim().regex(/^\d*$/, 'A whole number, or empty for no limit');
const weight = z
  .string()
  .trim()
  .regex(/^\d+([.,]\d+)?$/, 'A number such as 1 or 0.5');

export function routingSchema(currency: string) {
  return z.object({
    objective: z.enum(['cost', 'fastest', 'balance', 'mix']),
    weights: z.object({ cost: weight, days: weight, balance: weight }),
    backorderPenaltyPerUnit: z.string().superRefine((v, ctx) => {
      const parsed = parseMoney(v, currency);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
      else if (parsed.value < 0) ctx.addIssue({ code: 'custom', message: 'The penalty cannot be negative' });
    }),
    maxShipments: optionalWholeNumber,
    kmPerDay: wholeNumber,
    dropshipLast: z.boolean(),
    channels: z.array(
      z.object({
        channel: z.string(),
        allowedLocations: z.array(z.string()),
        noSplit: z.boolean(),
      }),
    ),
    locations: z.array(
      z.object({
        location: z.string(),
        dailyCapacity: optionalWholeNumber,
        keepUnits: wholeNumber,
        handlingDays: wholeNumber,
      }),
    ),
  });
}

export type RoutingValues = z.infer<ReturnType<typeof routingSchema>>;

/** One line per objective, for the form and the what-if. */
export const OBJECTIVES: { value: RoutingObjectiveDto; label: string; description: string }[] = [
  {
    value: 'cost',
    label: 'Lowest cost',
    description: 'The cheapest shipping plan; splits only when that saves money.',
  },
  {
    value: 'fastest',
    label: 'Fastest delivery',
    description: 'Everything arrives as soon as possible; among equally fast plans, the cheapest.',
  },
  {
    value: 'balance',
    label: 'Balance stock',
    description: 'Takes stock where the most is left, so no location runs dry first; cost breaks ties.',
  },
  {
    value: 'mix',
    label: 'Weighted mix',
    description: 'Your own weighting of cost, transit days and stock balance.',
  },
];

const num = (v: number) => String(v);
const toNumber = (v: string) => Number(v.trim().replace(',', '.'));
const toInt = (v: string) => Number.parseInt(v.trim(), 10);

/**
 * Form values from the settings, with one row for every channel and every location of the shop (a
 * row with nothing set is dropped by the core when saved), in the shop's order.
 */
export function toValues(
  s: RoutingSettingsDto,
  channels: ChannelDto[],
  locations: LocationDto[],
  currency: string,
): RoutingValues {
  const channelCodes = [...channels.map((c) => c.code)];
  for (const rule of s.channels) if (!channelCodes.includes(rule.channel)) channelCodes.push(rule.channel);
  const locationCodes = [...locations.map((l) => l.code)];
  for (const rule of s.locations) if (!locationCodes.includes(rule.location)) locationCodes.push(rule.location);
  return {
    objective: s.objective,
    weights: { cost: num(s.weights.cost), days: num(s.weights.days), balance: num(s.weights.balance) },
    backorderPenaltyPerUnit: minorToInput(s.backorderPenaltyPerUnit, currency),
    maxShipments: s.maxShipments === null ? '' : num(s.maxShipments),
    kmPerDay: num(s.kmPerDay),
    dropshipLast: s.dropshipLast,
    channels: channelCodes.map((code) => {
      const rule = s.channels.find((c) => c.channel === code);
      return { channel: code, allowedLocations: rule?.allowedLocations ?? [], noSplit: rule?.noSplit ?? false };
    }),
    locations: locationCodes.map((code) => {
      const rule = s.locations.find((l) => l.location === code);
      return {
        location: code,
        dailyCapacity: rule?.dailyCapacity == null ? '' : num(rule.dailyCapacity),
        keepUnits: num(rule?.keepUnits ?? 0),
        handlingDays: num(rule?.handlingDays ?? 1),
      };
    }),
  };
}

/** The DTO for values that passed the schema. Every row is sent, so error paths match the rows. */
export function toDto(v: RoutingValues, currency: string): RoutingSettingsDto {
  const penalty = parseMoney(v.backorderPenaltyPerUnit, currency);
  return {
    objective: v.objective,
    weights: { cost: toNumber(v.weights.cost), days: toNumber(v.weights.days), balance: toNumber(v.weights.balance) },
    backorderPenaltyPerUnit: penalty.ok ? penalty.value : 0,
    maxShipments: v.maxShipments.trim() === '' ? null : toInt(v.maxShipments),
    kmPerDay: toInt(v.kmPerDay),
    dropshipLast: v.dropshipLast,
    channels: v.channels.map((c) => ({ channel: c.channel, allowedLocations: c.allowedLocations, noSplit: c.noSplit })),
    locations: v.locations.map((l) => ({
      location: l.location,
      dailyCapacity: l.dailyCapacity.trim() === '' ? null : toInt(l.dailyCapacity),
      keepUnits: toInt(l.keepUnits),
      handlingDays: toInt(l.handlingDays),
    })),
  };
}

/**
 * Where an error from the core goes in this form: `channels.0.allowedLocations.2` is about the
 * multi-select `channels.0.allowedLocations`; `weights` (all zero) about the first weight.
 * Returns null for a path the form has no field for.
 */
export function formPath(field: string, values: RoutingValues): string | null {
  const path = fieldPath(field);
  if (path === 'weights') return 'weights.cost';
  const allowed = /^channels\.(\d+)\.allowedLocations(\.\d+)?$/.exec(path);
  if (allowed) return Number(allowed[1]) < values.channels.length ? `channels.${allowed[1]}.allowedLocations` : null;
  const channel = /^channels\.(\d+)\.(noSplit|channel)$/.exec(path);
  if (channel) return Number(channel[1]) < values.channels.length ? `channels.${channel[1]}.allowedLocations` : null;
  const location = /^locations\.(\d+)\.(dailyCapacity|keepUnits|handlingDays|location)$/.exec(path);
  if (location) {
    if (Number(location[1]) >= values.locations.length) return null;
    return location[2] === 'location' ? `locations.${location[1]}.dailyCapacity` : path;
  }
  return [
    'objective',
    'weights.cost',
    'weights.days',
    'weights.balance',
    'backorderPenaltyPerUnit',
    'maxShipments',
    'kmPerDay',
    'dropshipLast',
  ].includes(path)
    ? path
    : null;
}
