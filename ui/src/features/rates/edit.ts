/** Pure helpers of the rate-card editor: empty carriers and services, the zones a rule uses. */
import type { CarrierDto } from '../../bindings/CarrierDto';
import type { ServiceDto } from '../../bindings/ServiceDto';
import type { ZoneRuleDto } from '../../bindings/ZoneRuleDto';

export const TRACKING_KINDS = [
  { value: 'ups', label: 'UPS (1Z…)' },
  { value: 'usps', label: 'USPS / GS1 (mod 10)' },
  { value: 'fedex', label: 'FedEx (12 digits)' },
  { value: 'upu', label: 'UPU S10 (RB123456785US)' },
  { value: 'local', label: 'Own local delivery' },
  { value: 'other', label: 'Other (no check)' },
];

export function newService(n: number): ServiceDto {
  return {
    code: `SERVICE-${n}`,
    name: 'New service',
    transitDays: 3,
    fromLocations: null,
    zones: { kind: 'distance', bands: [{ upToKm: 500, zone: 1 }] },
    brackets: [{ upToGrams: 1000, prices: [0] }],
    surcharges: { perPackage: 0, fuelBp: 0, residential: 0, overWeight: null },
  };
}

export function newCarrier(n: number): CarrierDto {
  return { code: `CARRIER-${n}`, name: 'New carrier', tracking: 'other', services: [newService(1)] };
}

/** The highest zone a rule can give (prices are needed for zones 1 to this). */
export function topZone(rule: ZoneRuleDto): number {
  const zones =
    rule.kind === 'distance'
      ? rule.bands.map((b) => b.zone)
      : [...rule.rules.map((r) => r.zone), ...(rule.defaultZone != null ? [rule.defaultZone] : [])];
  return Math.max(1, ...zones);
}

/** How many zone columns the brackets table shows. */
export function zoneColumns(s: ServiceDto): number {
  return Math.max(topZone(s.zones), ...s.brackets.map((b) => b.prices.length));
}

/** Kilograms typed by the user as whole grams (3 decimals kept). */
export function kgToGrams(kg: number): number {
  return Math.round(kg * 1000);
}
