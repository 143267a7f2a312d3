import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';

describe('Counter reset', () => {
  it('a pick-up order keeps the item reserved at the chosen store, and the next sale starts as take-away', async () => {
    const { user, callsTo } = renderApp('/counter');
    const input = await screen.findByLabelText('Scan or type SKU or barcode');
    await waitFor(() => expect(screen.getByLabelText('Sold at store')).toHaveValue('ST-BKLYN'));
    await user.type(input, 'MUG-BLU-01{Enter}');
    await within(screen.getByRole('table', { name: 'Order lines' })).findByText('MUG-BLU-01');
    await user.click(screen.getByLabelText('Pick up at store'));
    expect(screen.getByLabelText('Pick-up store')).toHaveValue('ST-BKLYN');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await screen.findByTestId('created-order-number');
    expect(callsTo('create_order')[0]?.args.order).toMatchObject({
      takeAway: false,
      pickupLocation: 'ST-BKLYN',
      shipTo: null,
    });

    await waitFor(() => expect(screen.getByLabelText('Take away now')).toBeChecked());
    expect(screen.getByLabelText('Pick up at store')).not.toBeChecked();
    expect(screen.getByLabelText('Sold at store')).toHaveValue('ST-BKLYN');
  });
});
