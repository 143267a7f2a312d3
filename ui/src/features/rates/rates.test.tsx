import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RateCardsDto } from '../../bindings/RateCardsDto';
import type { RateShopDto } from '../../bindings/RateShopDto';
import { renderApp } from '../../test/render';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('Carriers & rates', () => {
  it('shows the carriers in force, edits a bracket price and saves a new version with a note', async () => {
    const { user, callsTo } = renderApp('/rates');
    expect(await screen.findByTestId('rates-version')).toHaveTextContent('Version 1');
    expect(screen.getByRole('region', { name: 'Carrier UPS' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Carrier Orderly Local' })).toBeInTheDocument();
    const price = screen.getAllByLabelText('Bracket 2 zone 2 price')[0]!;
    expect(price).toHaveValue('1930');
    await user.clear(price);
    await user.type(price, '2050');
    await user.click(screen.getByRole('button', { name: 'Save as new version…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save rate cards' });
    await user.type(within(dialog).getByLabelText('Note'), 'UPS zone 2 up{Enter}');
    await waitFor(() => expect(callsTo('save_rate_cards')).toHaveLength(1));
    const sent = callsTo('save_rate_cards')[0]?.args.input as { cards: RateCardsDto; note: string };
    expect(sent.note).toBe('UPS zone 2 up');
    expect(sent.cards.carriers[0]?.services[0]?.brackets[1]?.prices).toEqual([1390, 2050]);
    expect(sent.cards.carriers[1]?.services[0]?.fromLocations).toEqual(['ST-BKLYN']);
    expect(await screen.findByTestId('rates-version')).toHaveTextContent('Version 2');
    const history = screen.getByRole('table', { name: 'Versions' });
    await waitFor(() => expect(within(history).getAllByRole('row')).toHaveLength(3));
    expect(within(history).getAllByRole('row')[1]).toHaveTextContent('UPS zone 2 up');
  });

  it("shows the core's error next to the field it names", async () => {
    const { user } = renderApp('/rates');
    const first = (await screen.findAllByLabelText('Bracket 2 up to grams'))[0]!;
    await user.clear(first);
    await user.type(first, '500');
    await user.click(screen.getByRole('button', { name: 'Save as new version…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save rate cards' });
    await user.click(within(dialog).getByRole('button', { name: 'Save version' }));
    expect(await screen.findByText('Brackets must be increasing, from 1 to 10000000 grams')).toBeInTheDocument();
    expect(screen.getAllByLabelText('Bracket 2 up to grams')[0]).toHaveAttribute('aria-invalid', 'true');
  });

  it('adds a carrier with a postal-code zoned service', async () => {
    const { user, callsTo } = renderApp('/rates');
    await user.click(await screen.findByRole('button', { name: 'Add carrier' }));
    const added = screen.getByRole('region', { name: 'Carrier New carrier' });
    await user.click(within(added).getByRole('radio', { name: 'By postal code' }));
    await user.click(within(added).getByRole('button', { name: 'Add prefix rule' }));
    await user.type(within(added).getByLabelText('Rule 1 postal prefix'), '941');
    await user.click(screen.getByRole('button', { name: 'Save as new version…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save rate cards' });
    await user.click(within(dialog).getByRole('button', { name: 'Save version' }));
    await waitFor(() => expect(callsTo('save_rate_cards')).toHaveLength(1));
    const sent = callsTo('save_rate_cards')[0]?.args.input as { cards: RateCardsDto };
    expect(sent.cards.carriers[2]?.services[0]?.zones).toEqual({
      kind: 'postalPrefix',
      rules: [{ prefix: '941', zone: 1 }],
      defaultZone: 1,
    });
  });

  it('quotes a shipment and shows the chosen service with the alternatives and why', async () => {
    const shop: RateShopDto = {
      chosen: {
        carrier: 'UPS',
        carrierName: 'UPS',
        service: '2DA',
        serviceName: '2nd Day Air',
        zone: 3,
        base: usd(2930),
        fuel: usd(483),
        surcharges: usd(585),
        total: usd(3998),
        transitDays: 2,
        deliveryDate: '2026-11-29',
        meetsPromise: true,
        why: 'zone 3, 1 × 1200 g: base 2930 + fuel 483 + surcharges 585 = 3998; delivered 2026-11-29, in time for the promise',
      },
      quotes: [],
      unavailable: ['Orderly Local Courier: does not collect from WH-EAST'],
      summary: 'UPS 2nd Day Air is the cheapest service delivered by 2026-11-30 (3998, arrives 2026-11-29).',
    };
    shop.quotes = [
      {
        ...shop.chosen!,
        carrier: 'USPS',
        carrierName: 'USPS',
        service: 'GA',
        serviceName: 'Ground Advantage',
        total: usd(1340),
        deliveryDate: '2026-12-02',
        meetsPromise: false,
        why: 'zone 3, 1 × 1200 g: base 1340 …, after the promised date 2026-11-30',
      },
      shop.chosen!,
    ];
    const { user, callsTo } = renderApp('/rates', { quote_shipment: () => shop });
    const panel = await screen.findByRole('region', { name: 'Quote' });
    await user.type(within(panel).getByLabelText('To ZIP'), '60601');
    const weight = within(panel).getByLabelText('Weight (kg)');
    await user.clear(weight);
    await user.type(weight, '1.2');
    await user.type(within(panel).getByLabelText('Promised by'), '2026-11-30');
    await user.click(within(panel).getByRole('button', { name: 'Quote' }));
    await waitFor(() => expect(callsTo('quote_shipment')).toHaveLength(1));
    expect(callsTo('quote_shipment')[0]?.args.request).toMatchObject({
      toPostalCode: '60601',
      toCountry: 'US',
      weightGrams: 1200,
      packages: 1,
      promisedBy: '2026-11-30',
      business: false,
    });
    expect(await within(panel).findByText(/is the cheapest service delivered by 2026-11-30/)).toBeInTheDocument();
    const rows = within(within(panel).getByRole('table', { name: 'Services' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('USPS Ground Advantage');
    expect(rows[1]).toHaveTextContent('late');
    expect(rows[2]).toHaveTextContent('UPS 2nd Day Air');
    expect(rows[2]).toHaveTextContent('chosen');
    expect(rows[2]).toHaveTextContent('$39.98');
    expect(within(panel).getByText('Orderly Local Courier: does not collect from WH-EAST')).toBeInTheDocument();
  });

  it('puts a quote error on its field', async () => {
    const { user } = renderApp('/rates', {
      quote_shipment: () => {
        throw { code: 'invalid', message: 'Enter a weight from 0 to 1000 kg', field: 'weight' };
      },
    });
    const panel = await screen.findByRole('region', { name: 'Quote' });
    await user.click(within(panel).getByRole('button', { name: 'Quote' }));
    expect(await within(panel).findByText('Enter a weight from 0 to 1000 kg')).toBeInTheDocument();
    expect(within(panel).getByLabelText('Weight (kg)')).toHaveAttribute('aria-invalid', 'true');
  });
});
