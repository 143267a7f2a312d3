/**
 * Settings: business details, which database to use, demo data, customer e-mail, this workstation's
 * printers and home location, and the fulfilment rules (ship within, hold pick-ups).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppInfoDto } from '../../bindings/AppInfoDto';
import type { ChannelInputDto } from '../../bindings/ChannelInputDto';
import type { FulfilmentSettingsDto } from '../../bindings/FulfilmentSettingsDto';
import type { MailSettingsDto } from '../../bindings/MailSettingsDto';
import type { MailStatusDto } from '../../bindings/MailStatusDto';
import type { ReturnPolicyDto } from '../../bindings/ReturnPolicyDto';
import type { SettingsDto } from '../../bindings/SettingsDto';
import type { WorkstationDto } from '../../bindings/WorkstationDto';
import { commands } from '../../lib/ipc';
import { sharedKeys } from '../../lib/queries';

export const settingsQuery = queryOptions({ queryKey: sharedKeys.settings, queryFn: commands.getSettings });
export const useSettings = () => useQuery(settingsQuery);

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: SettingsDto) => commands.saveSettings(settings),
    onSuccess: (saved) => {
      queryClient.setQueryData(sharedKeys.settings, saved);
      void queryClient.invalidateQueries({ queryKey: sharedKeys.appInfo });
    },
  });
}

/** Adds a sales channel, or changes the name and stock buffer of one (found by its code). */
export function useSaveChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ isNew, channel }: { isNew: boolean; channel: ChannelInputDto }) =>
      isNew ? commands.createChannel(channel) : commands.updateChannel(channel),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sharedKeys.channels });
      void queryClient.invalidateQueries({ queryKey: sharedKeys.inventory });
    },
  });
}

export function useTestDatabase() {
  return useMutation({ mutationFn: (url: string) => commands.testDatabase(url) });
}

/**
 * Switching the database, loading the demo or clearing data changes everything on every screen:
 * the new app info goes straight into the cache and every other query is refetched.
 */
function useWholeShopMutation<TInput>(fn: (input: TInput) => Promise<AppInfoDto>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (info) => {
      queryClient.setQueryData(sharedKeys.appInfo, info);
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sharedKeys.appInfo[0] });
    },
  });
}

export const useSwitchDatabase = () => useWholeShopMutation((url: string) => commands.switchDatabase(url));
export const useLoadDemo = () => useWholeShopMutation(() => commands.loadDemo());
export const useClearData = () => useWholeShopMutation(() => commands.clearData());

// ------------------------------------------------------------------------------------ e-mail

export const mailKeys = {
  settings: ['mail-settings'] as const,
  outbox: ['mail-outbox'] as const,
};

export const mailSettingsQuery = queryOptions({ queryKey: mailKeys.settings, queryFn: commands.getMailSettings });
export const useMailSettings = () => useQuery(mailSettingsQuery);

export function useSaveMailSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: MailSettingsDto) => commands.saveMailSettings(settings),
    onSuccess: (saved) => {
      queryClient.setQueryData(mailKeys.settings, saved);
      void queryClient.invalidateQueries({ queryKey: mailKeys.outbox });
    },
  });
}

export function useSendTestMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (to: string) => commands.sendTestMail(to),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: mailKeys.outbox }),
  });
}

/** The newest outbox rows, refreshed every 10 s while the screen is open (the dispatcher works behind it). */
export const useOutbox = (status: MailStatusDto | null) =>
  useQuery({
    queryKey: [...mailKeys.outbox, status ?? 'all'],
    queryFn: () => commands.listOutbox(status, 100),
    refetchInterval: 10_000,
  });

export function useRetryMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => commands.retryMail(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: mailKeys.outbox }),
  });
}

// ------------------------------------------------------------------------------------ workstation & fulfilment

export const fulfilmentKeys = {
  /** This desktop's own settings (kept in its config file, not in the shop's database). */
  workstation: ['workstation'] as const,
  settings: ['fulfilment-settings'] as const,
};

export const workstationQuery = queryOptions({
  queryKey: fulfilmentKeys.workstation,
  queryFn: commands.getWorkstation,
});
export const useWorkstation = () => useQuery(workstationQuery);

export function useSaveWorkstation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkstationDto) => commands.saveWorkstation(input),
    onSuccess: (saved) => queryClient.setQueryData(fulfilmentKeys.workstation, saved),
  });
}

export const fulfilmentSettingsQuery = queryOptions({
  queryKey: fulfilmentKeys.settings,
  queryFn: commands.getFulfilmentSettings,
});
export const useFulfilmentSettings = () => useQuery(fulfilmentSettingsQuery);

export function useSaveFulfilmentSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: FulfilmentSettingsDto) => commands.saveFulfilmentSettings(settings),
    onSuccess: (saved) => {
      queryClient.setQueryData(fulfilmentKeys.settings, saved);
      // Due dates and late flags in the work queues follow these settings.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== fulfilmentKeys.settings[0] });
    },
  });
}

// ------------------------------------------------------------------------------------ return policy

export const returnPolicyQuery = queryOptions({
  queryKey: [...sharedKeys.returns, 'policy'] as const,
  queryFn: commands.getReturnPolicy,
});
export const useReturnPolicy = () => useQuery(returnPolicyQuery);

export function useSaveReturnPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: ReturnPolicyDto) => commands.saveReturnPolicy(policy),
    onSuccess: (saved) => {
      queryClient.setQueryData(returnPolicyQuery.queryKey, saved);
      // Windows and fees change what every open return preview says.
      void queryClient.invalidateQueries({ queryKey: sharedKeys.returns });
    },
  });
}
