import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { QueueShipmentDto } from '../../bindings/QueueShipmentDto';
import type { WorkQueuesDto } from '../../bindings/WorkQueuesDto';
import { renderApp } from '../../test/render';
import { cmToMm, formatKg, kgToGrams } from './format';

const shipmentRow = (number: string, over: Partial<QueueShipmentDto> = {}): QueueShipmentDto => ({
  number,
  orderNumber: 'SO-100049',
  customerName: 'Ada Lovelace',
  kind: 'ship',
  status: 'picking',
  units: 3,
  packedUnits: 0,
  packages: 0,
  carrier: null,
  service: null,
  trackingNumber: null,
  pickList: 'PL-9',
  createdAt: '2026-11-27T08:00:00Z',
  readyAt: null,
  due: '2026-11-28',
  late: false,
  ...over,
});

const queues: WorkQueuesDto = {
  location: 'ST-BKLYN',
  locationName: 'Brooklyn store',
  locationKind: 'store',
  readyToPick: [
    {
      orderNumber: 'SO-100040',
      customerName: 'Grace Hopper',
      createdAt: '2026-11-20T08:00:00Z',
      promisedBy: null,
      due: '2026-11-22',
      late: true,
      kind: 'pickup',
      units: 4,
      lines: 2,
    },
    {
      orderNumber: 'SO-100041',
      customerName: null,
      createdAt: '2026-11-27T08:00:00Z',
      promisedBy: null,
      due: '2026-11-29',
      late: false,
      kind: 'ship',
      units: 1,
      lines: 1,
    },
  ],
  picking: [shipmentRow('SH-1', { late: true })],
  packed: [shipmentRow('SH-2', { status: 'packed', packages: 2 })],
  waitingForCarrier: [],
  readyForPickup: [
    shipmentRow('SH-3', { kind: 'pickup', status: 'ready_for_pickup' }),
    shipmentRow('SH-4', { kind: 'pickup', status: 'ready_for_pickup' }),
  ],
  late: 2,
};

/** The SKUs of the pack screen's lines, read from the table. */
function packLines() {
  const table = screen.getByRole('table', { name: 'Lines to pack' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[1]!.textContent ?? '');
}

describe('Fulfilment units', () => {
  it('turns typed kilograms and centimetres into whole grams and millimetres without floats', () => {
    expect(kgToGrams('1.25')).toEqual({ ok: true, value: 1250 });
    expect(kgToGrams('0,3')).toEqual({ ok: true, value: 300 });
    expect(kgToGrams('1.2345').ok).toBe(false);
    expect(cmToMm('30.5')).toEqual({ ok: true, value: 305 });
    expect(cmToMm('abc').ok).toBe(false);
    expect(formatKg(1250)).toBe('1.25 kg');
    expect(formatKg(2000)).toBe('2 kg');
  });
});

describe('Fulfilment queues', () => {
  it("opens on the desk's home location and shows each queue with its count", async () => {
    const { user, callsTo } = renderApp('/fulfilment', {
      get_workstation: () => ({
        homeLocation: 'ST-BKLYN',
        labelPrinter: null,
        labelFormat: 'pdf',
        documentPrinter: null,
        defaultFolder: '/tmp',
      }),
      work_queues: () => queues,
    });
    expect(await screen.findByTestId('count-pick')).toHaveTextContent('2');
    expect(callsTo('work_queues')[0]?.args).toEqual({ location: 'ST-BKLYN' });
    expect(screen.getByLabelText('Location')).toHaveValue('ST-BKLYN');
    expect(screen.getByTestId('count-picking')).toHaveTextContent('1');
    expect(screen.getByTestId('count-packed')).toHaveTextContent('1');
    expect(screen.getByTestId('count-waiting')).toHaveTextContent('0');
    expect(screen.getByTestId('count-pickup')).toHaveTextContent('2');
    expect(screen.getByTestId('count-late')).toHaveTextContent('2');
    expect(screen.getByRole('link', { name: 'SO-100040' })).toBeInTheDocument();
    expect(screen.getAllByText('Late').length).toBeGreaterThan(0);

    await user.click(screen.getByRole('tab', { name: /^Late/ }));
    expect(await screen.findByRole('link', { name: 'SH-1' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'SO-100040' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'SO-100041' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: /Ready for pick-up/ }));
    expect(await screen.findByRole('link', { name: 'SH-4' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Location'), 'WH-WEST');
    await waitFor(() => expect(callsTo('work_queues').at(-1)?.args).toEqual({ location: 'WH-WEST' }));
  });

  it('creates a pick list from the selected orders and shows it sorted by bin', async () => {
    const { user, callsTo } = renderApp('/fulfilment');
    const boxes = await screen.findAllByRole('checkbox', { name: /^Select SO-/ });
    expect(boxes).toHaveLength(2);
    await user.click(boxes[0]!);
    await user.click(boxes[1]!);
    await user.click(screen.getByRole('button', { name: 'Create pick list (2)' }));
    await waitFor(() => expect(callsTo('create_pick_list')).toHaveLength(1));
    const input = callsTo('create_pick_list')[0]!.args.input as {
      location: string;
      orders: string[];
      maxOrders: number;
    };
    expect(input.location).toBe('WH-EAST');
    expect(input.orders).toHaveLength(2);
    expect(input.maxOrders).toBe(2);

    await screen.findByRole('table', { name: 'Pick rows' });
    const rows = within(screen.getByRole('table', { name: 'Pick rows' }))
      .getAllByRole('row')
      .slice(1);
    const bins = rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent ?? '');
    expect(bins.length).toBeGreaterThan(0);
    expect([...bins].sort()).toEqual(bins);
    expect(screen.getAllByRole('link', { name: /^Pack SH-/ })).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: /Print/ }));
    expect(await screen.findByLabelText('Printed')).toHaveTextContent(/Pick list \(1 file\) sent to .*pick_list-PL-/);
    expect(callsTo('print_document')[0]?.args).toMatchObject({ request: { document: 'pick_list' } });
  });
});

describe('Packing', () => {
  it('counts an accepted scan and refuses a wrong item with the core message, changing nothing', async () => {
    const { user } = renderApp('/fulfilment/shipments/SH-5001');
    const scan = await screen.findByLabelText('Scan each item');
    await waitFor(() => expect(scan).toHaveFocus());
    const [sku] = packLines();
    const before = screen.getByTestId(`packed-${sku}`).textContent ?? '';
    expect(before).toMatch(/^0 \/ \d+$/);
    await user.type(scan, `${sku}{Enter}`);
    await waitFor(() => expect(screen.getByTestId(`packed-${sku}`)).toHaveTextContent(/^1 \/ /));
    expect(scan).toHaveValue('');
    expect(scan).toHaveFocus();

    const wrong = ['MUG-BLU-01', 'MUG-RED-02', 'MUG-GRE-03'].find((s) => !packLines().includes(s))!;
    await user.type(scan, `${wrong}{Enter}`);
    expect(await screen.findByTestId('scan-error')).toHaveTextContent(
      new RegExp(`Wrong item: ${wrong} .* is not in SH-5001 — put it back`),
    );
    expect(screen.getByTestId(`packed-${sku}`)).toHaveTextContent(/^1 \/ /);
    expect(screen.getByTestId('packed-count')).toHaveTextContent(/^1 \//);
    expect(scan).toHaveFocus();
  });

  it('asks to confirm a short pick, listing what is missing, and sends parcels in grams and millimetres', async () => {
    const { user, callsTo } = renderApp('/fulfilment/shipments/SH-5002');
    const scan = await screen.findByLabelText('Scan each item');
    const [sku] = packLines();
    await user.type(scan, `${sku}{Enter}`);
    await waitFor(() => expect(screen.getByTestId(`packed-${sku}`)).toHaveTextContent(/^1 \/ /));

    const weight = screen.getByLabelText('Parcel 1 weight (kg)');
    await user.clear(weight);
    await user.type(weight, '1.25');
    await user.type(screen.getByLabelText('Parcel 1 length (cm)'), '30.5');
    await user.type(screen.getByLabelText('Parcel 1 width (cm)'), '20');
    await user.type(screen.getByLabelText('Parcel 1 height (cm)'), '12.5');
    await user.click(screen.getByRole('button', { name: /Finish packing/ }));

    const dialog = await screen.findByRole('dialog', { name: 'Confirm a short pick' });
    expect(within(dialog).getByText('They will be re-routed to other locations or backordered.')).toBeInTheDocument();
    expect(within(dialog).getByRole('table', { name: 'Missing units' })).toHaveTextContent(/×/);
    expect(callsTo('finish_packing')[0]?.args.input).toMatchObject({ confirmShort: false });

    await user.click(within(dialog).getByRole('button', { name: 'Confirm short pick' }));
    await waitFor(() => expect(callsTo('finish_packing')).toHaveLength(2));
    expect(callsTo('finish_packing')[1]?.args.input).toEqual({
      shipment: 'SH-5002',
      packages: [{ weightGrams: 1250, lengthMm: 305, widthMm: 200, heightMm: 125 }],
      confirmShort: true,
    });
    expect(await screen.findByTestId('shipment-status')).toHaveTextContent('Packed');
    expect(screen.getByRole('form', { name: 'Label' })).toBeInTheDocument();
  });
});

describe('Label and carrier', () => {
  it('checks the tracking number live, fills the carrier and saves the label', async () => {
    const { user, callsTo } = renderApp('/fulfilment/shipments/SH-5003');
    const tracking = await screen.findByLabelText('Tracking number');
    expect(await screen.findByTestId('quotes')).toHaveTextContent('UPS Ground is the cheapest');
    await user.type(tracking, '1Z999AA10123456785');
    expect(await screen.findByTestId('tracking-check')).toHaveTextContent(
      'UPS 1Z number: check digit should be 4, not 5',
    );
    await user.clear(tracking);
    await user.type(tracking, '1Z 999 AA1 0123456784');
    await waitFor(() => expect(screen.getByTestId('tracking-check')).toHaveTextContent('UPS — check digit OK'));
    expect(screen.getByLabelText('Carrier')).toHaveValue('UPS');
    await user.type(screen.getByLabelText('Service'), 'Ground');
    await user.type(screen.getByLabelText(/^Cost/), '12.40');
    await user.click(screen.getByRole('button', { name: 'Save label' }));
    await waitFor(() => expect(callsTo('label_shipment')).toHaveLength(1));
    expect(callsTo('label_shipment')[0]?.args.input).toEqual({
      shipment: 'SH-5003',
      carrier: 'UPS',
      service: 'Ground',
      trackingNumbers: ['1Z 999 AA1 0123456784'],
      generateLocal: false,
      cost: 1240,
    });
    expect(await screen.findByTestId('shipment-status')).toHaveTextContent('Labelled');
    await user.click(screen.getByRole('button', { name: 'Print labels' }));
    expect(await screen.findByLabelText('Printed')).toHaveTextContent(/Labels \(1 file\) sent to/);
  });

  it('rate shopping fills the carrier, service and cost with one click', async () => {
    const { user } = renderApp('/fulfilment/shipments/SH-5003');
    const quotes = await screen.findByTestId('quotes');
    const rows = within(quotes).getAllByRole('row');
    const usps = rows.find((r) => r.textContent?.includes('USPS Ground Advantage'));
    if (!usps) throw new Error('no USPS quote');
    await user.click(within(usps).getByRole('button', { name: 'Use' }));
    expect(screen.getByLabelText('Carrier')).toHaveValue('USPS');
    expect(screen.getByLabelText('Service')).toHaveValue('Ground Advantage');
    expect(screen.getByLabelText(/^Cost/)).toHaveValue('7.45');
  });

  it('voids a label the carrier has not taken, with a reason', async () => {
    const { user, callsTo } = renderApp('/fulfilment/shipments/SH-5003');
    const tracking = await screen.findByLabelText('Tracking number');
    await user.type(screen.getByLabelText('Carrier'), 'UPS');
    await user.type(screen.getByLabelText('Service'), 'Ground');
    await user.type(tracking, '1Z999AA10123456784');
    await user.click(screen.getByRole('button', { name: 'Save label' }));
    expect(await screen.findByTestId('shipment-status')).toHaveTextContent('Labelled');
    await user.type(screen.getByLabelText('Void the label'), 'wrong service');
    await user.click(screen.getByRole('button', { name: 'Void label' }));
    await waitFor(() => expect(callsTo('void_label')).toHaveLength(1));
    expect(callsTo('void_label')[0]?.args).toEqual({ shipment: 'SH-5003', reason: 'wrong service' });
    expect(await screen.findByTestId('shipment-status')).toHaveTextContent('Packed');
  });

  it('shows the core refusing a label in place', async () => {
    const { user } = renderApp('/fulfilment/shipments/SH-5003');
    await user.click(await screen.findByRole('button', { name: 'Save label' }));
    expect(await screen.findByText('Choose the carrier')).toBeInTheDocument();
  });

  it('hands scanned parcels to the carrier', async () => {
    const { user, callsTo } = renderApp('/fulfilment?tab=waiting');
    const scan = await screen.findByLabelText('Scan parcels as the driver takes them');
    expect(screen.getByRole('button', { name: /Handed to carrier/ })).toBeDisabled();
    await user.type(scan, '1Z999AA10123456784{Enter}');
    expect(await screen.findByText(/SH-5004 ✓/)).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Select SH-5004' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select SH-5005' })).not.toBeChecked();
    await user.type(scan, 'SH-5001{Enter}');
    expect(await screen.findByText(/SH-5001 is picking: it is not waiting for the carrier here/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Handed to carrier (1)' }));
    await waitFor(() => expect(callsTo('hand_to_carrier')[0]?.args).toEqual({ shipments: ['SH-5004'] }));
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Select SH-5004' })).not.toBeInTheDocument());
    expect(screen.getByTestId('count-waiting')).toHaveTextContent('1');
  });
});

describe('Tracking', () => {
  it('shows the timeline and adds an event', async () => {
    const { user, callsTo } = renderApp('/fulfilment/shipments/SH-5006');
    const form = await screen.findByRole('form', { name: 'Add tracking event' });
    expect(screen.getAllByText('In transit').length).toBeGreaterThan(0);
    expect(screen.getByText(/Denver, CO/)).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Event'), 'out_for_delivery');
    await user.type(within(form).getByLabelText('Place'), 'Columbus, OH');
    await user.click(within(form).getByRole('button', { name: 'Add tracking event' }));
    await waitFor(() =>
      expect(callsTo('add_tracking_event')[0]?.args.input).toEqual({
        reference: 'SH-5006',
        kind: 'out_for_delivery',
        at: null,
        place: 'Columbus, OH',
        note: null,
      }),
    );
    expect(await screen.findByTestId('shipment-status')).toHaveTextContent('Out for delivery');
    expect(screen.getByText(/Columbus, OH/)).toBeInTheDocument();
  });

  it('imports a carrier CSV and reports applied, duplicates and errors by line', async () => {
    const { user, callsTo } = renderApp('/fulfilment');
    await screen.findByTestId('count-pick');
    const csv = [
      'tracking_number,status,time,location',
      '1Z999AA10123456784,in_transit,2026-11-27 09:00,Newark NJ',
      'NOPE123,delivered,2026-11-27 09:00,',
    ].join('\n');
    const file = new File([csv], 'ups.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText('Carrier file (CSV)'), file);
    await waitFor(() => expect(callsTo('import_tracking')[0]?.args.text).toBe(csv));
    const result = await screen.findByLabelText('Import result');
    expect(result).toHaveTextContent('1 event(s) applied, 0 duplicate(s) skipped, 1 error(s)');
    expect(result).toHaveTextContent('line 3: no shipment has tracking number NOPE123');
  });
});
