import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FulfilmentSettingsDto } from '../../bindings/FulfilmentSettingsDto';
import type { WorkstationDto } from '../../bindings/WorkstationDto';
import { renderApp } from '../../test/render';

const workstation: WorkstationDto = {
  homeLocation: 'ST-BKLYN',
  labelPrinter: null,
  labelFormat: 'pdf',
  documentPrinter: 'cups://Office_Laser',
  defaultFolder: '/home/clerk/.local/share/orderly/printouts',
};

const fulfilment: FulfilmentSettingsDto = { shipWithinDays: 2, pickupHoldDays: 7 };

const overrides = {
  get_workstation: () => workstation,
  save_workstation: ({ input }: { input: WorkstationDto }) => ({ ...input, defaultFolder: workstation.defaultFolder }),
  get_fulfilment_settings: () => fulfilment,
  save_fulfilment_settings: ({ settings }: { settings: FulfilmentSettingsDto }) => settings,
};

describe('Workstation settings', () => {
  it('shows the home location, printers and where documents go without a printer, and saves them', async () => {
    const { user, callsTo } = renderApp('/settings', overrides);
    const section = await screen.findByRole('region', { name: 'This workstation' });
    const home = await within(section).findByLabelText('Home location');
    expect(home).toHaveValue('ST-BKLYN');
    expect(within(section).getByLabelText('Document printer')).toHaveValue('cups://Office_Laser');
    expect(within(section).getByTestId('default-folder')).toHaveTextContent(
      '/home/clerk/.local/share/orderly/printouts',
    );

    await user.selectOptions(home, 'WH-EAST');
    await user.type(within(section).getByLabelText('Label printer'), ' raw://10.0.0.9:9100 ');
    await user.selectOptions(within(section).getByLabelText('Label format'), 'zpl');
    await user.clear(within(section).getByLabelText('Document printer'));
    await user.click(within(section).getByRole('button', { name: 'Save workstation' }));
    await waitFor(() => expect(callsTo('save_workstation')).toHaveLength(1));
    expect(callsTo('save_workstation')[0]?.args).toEqual({
      input: {
        homeLocation: 'WH-EAST',
        labelPrinter: 'raw://10.0.0.9:9100',
        labelFormat: 'zpl',
        documentPrinter: null,
        defaultFolder: workstation.defaultFolder,
      },
    });
  });

  it("shows the core's message on the printer field it names", async () => {
    const { user } = renderApp('/settings', {
      ...overrides,
      save_workstation: ({ input }) => {
        throw {
          code: 'invalid',
          message: `'${input.labelPrinter}' is not a printer: the kind of printer is missing. Use raw://HOST:PORT, cups://QUEUE or file:///FOLDER`,
          field: 'labelPrinter',
        };
      },
    });
    const section = await screen.findByRole('region', { name: 'This workstation' });
    const printer = await within(section).findByLabelText('Label printer');
    await user.type(printer, '192.168.1.50');
    await user.click(within(section).getByRole('button', { name: 'Save workstation' }));
    await waitFor(() => expect(printer).toHaveAccessibleDescription(/'192.168.1.50' is not a printer/));
    expect(printer).toHaveAttribute('aria-invalid', 'true');
    expect(printer).toHaveFocus();
  });
});

describe('Fulfilment settings', () => {
  it('saves ship-within and pick-up hold days as numbers', async () => {
    const { user, callsTo } = renderApp('/settings', overrides);
    const section = await screen.findByRole('region', { name: 'Fulfilment' });
    const ship = await within(section).findByLabelText('Ship within (days)');
    expect(ship).toHaveValue('2');
    await user.clear(ship);
    await user.type(ship, '3');
    const hold = within(section).getByLabelText('Hold pick-ups (days)');
    await user.clear(hold);
    await user.type(hold, '10');
    await user.click(within(section).getByRole('button', { name: 'Save fulfilment settings' }));
    await waitFor(() =>
      expect(callsTo('save_fulfilment_settings')[0]?.args).toEqual({
        settings: { shipWithinDays: 3, pickupHoldDays: 10, supplierEmails: [] },
      }),
    );
  });

  it("saves a dropship supplier's purchase-order address", async () => {
    const { user, callsTo } = renderApp('/settings', overrides);
    const section = await screen.findByRole('region', { name: 'Fulfilment' });
    const field = await within(section).findByLabelText(/^Purchase orders for .*\(DS-/);
    await user.type(field, 'orders@printco.example');
    await user.click(within(section).getByRole('button', { name: 'Save fulfilment settings' }));
    await waitFor(() => expect(callsTo('save_fulfilment_settings')).toHaveLength(1));
    const sent = callsTo('save_fulfilment_settings')[0]?.args.settings as { supplierEmails: { email: string }[] };
    expect(sent.supplierEmails.map((e) => e.email)).toEqual(['orders@printco.example']);
  });

  it("puts the core's range error on the field", async () => {
    const { user } = renderApp('/settings', {
      ...overrides,
      save_fulfilment_settings: () => {
        throw { code: 'invalid', message: 'Hold pick-ups for 1–90 days', field: 'pickupHoldDays' };
      },
    });
    const section = await screen.findByRole('region', { name: 'Fulfilment' });
    const hold = await within(section).findByLabelText('Hold pick-ups (days)');
    await user.clear(hold);
    await user.type(hold, '0');
    await user.click(within(section).getByRole('button', { name: 'Save fulfilment settings' }));
    await waitFor(() => expect(hold).toHaveAccessibleDescription(/Hold pick-ups for 1–90 days/));
  });

  it('refuses what is not a whole number before asking the core', async () => {
    const { user, callsTo } = renderApp('/settings', overrides);
    const section = await screen.findByRole('region', { name: 'Fulfilment' });
    const ship = await within(section).findByLabelText('Ship within (days)');
    await user.clear(ship);
    await user.type(ship, '1.5');
    await user.click(within(section).getByRole('button', { name: 'Save fulfilment settings' }));
    await waitFor(() => expect(ship).toHaveAccessibleDescription(/A whole number of days/));
    expect(callsTo('save_fulfilment_settings')).toHaveLength(0);
  });
});
