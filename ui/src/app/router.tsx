/**
 * Code-based routes. Hash history, so deep links work from Tauri's custom protocol (no server to
 * rewrite paths). Each list screen validates its URL search params with its feature's schema.
 */
import type { QueryClient } from '@tanstack/react-query';
import {
  createHashHistory,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import { CounterPage } from '../features/counter/CounterPage';
import { CustomerPage } from '../features/customers/CustomerPage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { validateCustomersSearch } from '../features/customers/search';
import { FulfilmentPage } from '../features/fulfilment/FulfilmentPage';
import { PickListPage } from '../features/fulfilment/PickListPage';
import { validateFulfilmentSearch } from '../features/fulfilment/search';
import { ShipmentPage } from '../features/fulfilment/ShipmentPage';
import { InventoryPage } from '../features/inventory/InventoryPage';
import { validateInventorySearch } from '../features/inventory/search';
import { LocationsPage } from '../features/locations/LocationsPage';
import { OrderDetailPage } from '../features/orders/OrderDetailPage';
import { OrdersPage } from '../features/orders/OrdersPage';
import { validateOrdersSearch } from '../features/orders/search';
import { ProductsPage } from '../features/products/ProductsPage';
import { RatesPage } from '../features/rates/RatesPage';
import { ReturnPage } from '../features/returns/ReturnPage';
import { ReturnsPage } from '../features/returns/ReturnsPage';
import { StartReturnPage } from '../features/returns/StartReturnPage';
import { validateReturnsSearch } from '../features/returns/search';
import { RoutingPage } from '../features/routing/RoutingPage';
import { WhatIfPage } from '../features/routing/WhatIfPage';
import { validateProductsSearch } from '../features/products/search';
import { SettingsPage } from '../features/settings/SettingsPage';
import { NotFound, RouteError, Shell } from './Shell';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Shell,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/counter' });
  },
});

const ordersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/orders',
  validateSearch: validateOrdersSearch,
  component: OrdersPage,
});

const orderRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/orders/$number',
  component: OrderDetailPage,
});

const startReturnRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/orders/$number/return',
  component: StartReturnPage,
});

const returnsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/returns',
  validateSearch: validateReturnsSearch,
  component: function Returns() {
    return <ReturnsPage search={returnsRoute.useSearch()} />;
  },
});

const returnRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/returns/$number',
  component: ReturnPage,
});

const customersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers',
  validateSearch: validateCustomersSearch,
  component: function Customers() {
    return <CustomersPage search={customersRoute.useSearch()} />;
  },
});

const customerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/customers/$id',
  component: CustomerPage,
});

const counterRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/counter',
  component: CounterPage,
});

const inventoryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/inventory',
  validateSearch: validateInventorySearch,
  component: InventoryPage,
});

const productsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/products',
  validateSearch: validateProductsSearch,
  component: ProductsPage,
});

const locationsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/locations',
  component: LocationsPage,
});

const routingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/routing',
  component: RoutingPage,
});

const whatIfRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/routing/what-if',
  component: WhatIfPage,
});

const ratesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/rates',
  component: RatesPage,
});

const fulfilmentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/fulfilment',
  validateSearch: validateFulfilmentSearch,
  component: function Fulfilment() {
    return <FulfilmentPage search={fulfilmentRoute.useSearch()} />;
  },
});

const pickListRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/fulfilment/pick-lists/$number',
  component: PickListPage,
});

const shipmentRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/fulfilment/shipments/$number',
  component: ShipmentPage,
});

const settingsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/settings',
  component: SettingsPage,
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  ordersRoute,
  orderRoute,
  startReturnRoute,
  returnsRoute,
  returnRoute,
  customersRoute,
  customerRoute,
  counterRoute,
  inventoryRoute,
  productsRoute,
  locationsRoute,
  routingRoute,
  whatIfRoute,
  ratesRoute,
  settingsRoute,
  fulfilmentRoute,
  pickListRoute,
  shipmentRoute,
]);

export function createAppRouter(queryClient: QueryClient, history: RouterHistory = createHashHistory()) {
  return createRouter({
    routeTree,
    history,
    context: { queryClient },
    defaultPreload: false,
    // A failing screen shows its error inside the frame, with the navigation still there.
    defaultErrorComponent: RouteError,
    scrollRestoration: false,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
