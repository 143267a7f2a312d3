import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppInfoDto } from '../bindings/AppInfoDto';
import { renderApp } from '../test/render';

const info = (demoLoading: boolean): AppInfoDto => ({
  version: '0.1.0',
  databaseKind: 'postgres',
  databaseUrl: 'postgres://shop:***@db/orderly',
  businessName: 'Corner Shop',
  currency: 'USD',
  demoLoaded: !demoLoading,
  demoLoading,
});

describe('Shell', () => {
  it('shows the database and the business in the status bar, and navigates with Alt+digit', async () => {
    const { user, router } = renderApp('/counter', { app_info: () => info(false) });
    await waitFor(() => expect(screen.getByTestId('database-kind')).toHaveTextContent('PostgreSQL'));
    expect(screen.getByTestId('business-name')).toHaveTextContent('Corner Shop');
    for (const name of ['Orders', 'Counter', 'Inventory', 'Products', 'Locations', 'Settings']) {
      expect(screen.getByRole('link', { name })).toBeInTheDocument();
    }
    await user.keyboard('{Alt>}3{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/inventory'));
  });

  it('says when the demo shop is still loading, and refreshes when it is done', async () => {
    let calls = 0;
    const { callsTo } = renderApp('/orders', { app_info: () => info(++calls < 2) });
    expect(await screen.findByText('Loading the demo shop…')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Loading the demo shop…')).not.toBeInTheDocument(), {
      timeout: 4000,
    });
    // The list was asked again once the demo was complete.
    expect(callsTo('list_orders').length).toBeGreaterThan(1);
  });
});
