/**
 * The frame around every screen: the navigation on the left (Alt+1…9, Alt+0 and Alt+U jump between screens), the
 * status bar at the bottom (database and shop, from `app_info`), and the route's page in between.
 */
import {
  AppShell,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { Link, Outlet, useNavigate, useRouterState, type ErrorComponentProps } from '@tanstack/react-router';
import {
  Boxes,
  Database,
  MapPin,
  Package,
  PackageCheck,
  Route,
  Settings,
  ShoppingCart,
  Store,
  Truck,
  Undo2,
  Users,
} from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { ErrorCard } from '../components/ErrorCard';
import { sharedKeys, useAppInfo } from '../lib/queries';
import classes from './Shell.module.css';

type NavTarget =
  | '/orders'
  | '/counter'
  | '/inventory'
  | '/products'
  | '/locations'
  | '/routing'
  | '/rates'
  | '/settings'
  | '/fulfilment'
  | '/returns'
  | '/customers';

const NAV: { to: NavTarget; label: string; icon: ReactNode; key: string }[] = [
  { to: '/orders', label: 'Orders', icon: <ShoppingCart size={18} />, key: '1' },
  { to: '/counter', label: 'Counter', icon: <Store size={18} />, key: '2' },
  { to: '/inventory', label: 'Inventory', icon: <Boxes size={18} />, key: '3' },
  { to: '/products', label: 'Products', icon: <Package size={18} />, key: '4' },
  { to: '/locations', label: 'Locations', icon: <MapPin size={18} />, key: '5' },
  { to: '/routing', label: 'Routing', icon: <Route size={18} />, key: '6' },
  { to: '/settings', label: 'Settings', icon: <Settings size={18} />, key: '7' },
  { to: '/fulfilment', label: 'Fulfilment', icon: <PackageCheck size={18} />, key: '8' },
  { to: '/rates', label: 'Carriers & rates', icon: <Truck size={18} />, key: '9' },
  { to: '/returns', label: 'Returns', icon: <Undo2 size={18} />, key: '0' },
  // The digits are all taken: Alt+U for cUstomers.
  { to: '/customers', label: 'Customers', icon: <Users size={18} />, key: 'U' },
];

/**
 * On first start the core loads the demo shop in the background (`demoLoading`): the lists on screen
 * are refreshed as it goes, and once more when it is done.
 */
function useRefreshWhileDemoLoads() {
  const queryClient = useQueryClient();
  const info = useAppInfo();
  const loading = info.data?.demoLoading ?? false;
  const updatedAt = info.dataUpdatedAt;
  const wasLoading = useRef(false);
  useEffect(() => {
    if (loading || wasLoading.current) {
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sharedKeys.appInfo[0] });
    }
    wasLoading.current = loading;
  }, [loading, updatedAt, queryClient]);
}

export function Shell() {
  useRefreshWhileDemoLoads();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  // Shortcuts work while typing too: Alt+digit never types a character.
  useHotkeys(
    NAV.map((item) => [`alt+${item.key.toLowerCase()}`, () => void navigate({ to: item.to })] as [string, () => void]),
    [],
  );

  return (
    <AppShell navbar={{ width: 210, breakpoint: 0 }} footer={{ height: 30 }} padding={0}>
      <AppShell.Navbar p="xs" aria-label="Main">
        <Group gap={8} px="xs" py="sm" mb="xs">
          <Box
            w={28}
            h={28}
            bg="blue.6"
            c="white"
            style={{ borderRadius: 8, display: 'grid', placeItems: 'center', fontWeight: 800 }}
            aria-hidden
          >
            O
          </Box>
          <Title order={1} size="h4">
            Orderly
          </Title>
        </Group>
        <nav>
          <Stack gap={2}>
            {NAV.map((item) => (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                leftSection={item.icon}
                // The hint is drawn by CSS so the link's text stays exactly its name.
                data-shortcut={`Alt+${item.key}`}
                className={classes.navLink}
                active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
                aria-keyshortcuts={`Alt+${item.key}`}
              />
            ))}
          </Stack>
        </nav>
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh', boxSizing: 'border-box', overflow: 'auto' }}>
        <Outlet />
      </AppShell.Main>
      <AppShell.Footer px="sm">
        <StatusBar />
      </AppShell.Footer>
    </AppShell>
  );
}

function StatusBar() {
  const info = useAppInfo();
  return (
    <Group h="100%" justify="space-between" wrap="nowrap" gap="md" role="status" aria-label="Status">
      {info.isError ? (
        <Text size="xs" c="red">
          Cannot reach the Orderly core: {String((info.error as { message?: string }).message ?? info.error)}
        </Text>
      ) : (
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Database size={14} aria-hidden />
          <Text size="xs" fw={600} data-testid="database-kind">
            {info.data ? (info.data.databaseKind === 'postgres' ? 'PostgreSQL' : 'SQLite') : '…'}
          </Text>
          <Tooltip label={info.data?.databaseUrl ?? ''} disabled={!info.data}>
            <Text size="xs" c="dimmed" truncate="end" maw={420}>
              {info.data?.databaseUrl}
            </Text>
          </Tooltip>
        </Group>
      )}
      <Group gap="xs" wrap="nowrap">
        {info.data?.demoLoading ? (
          <Badge size="sm" color="grape" variant="light" leftSection={<Loader size={10} color="grape" />}>
            Loading the demo shop…
          </Badge>
        ) : info.data?.demoLoaded ? (
          <Badge size="xs" color="grape" variant="light">
            Demo data
          </Badge>
        ) : null}
        <Text size="xs" fw={600} data-testid="business-name">
          {info.data?.businessName}
        </Text>
        <Text size="xs" c="dimmed">
          {info.data ? `v${info.data.version}` : ''}
        </Text>
      </Group>
    </Group>
  );
}

export function NotFound() {
  return (
    <Center p="xl">
      <Stack align="center">
        <Text>There is no such screen.</Text>
        <Button component={Link} to="/orders">
          Go to orders
        </Button>
      </Stack>
    </Center>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Box p="md">
      <ErrorCard error={error} onRetry={reset} title="This screen failed to load" />
    </Box>
  );
}
