import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';

const section = async () => screen.findByRole('region', { name: 'E-mail' });

describe('E-mail settings', () => {
  it('shows a saved password as set, never its value, and keeps it when saving', async () => {
    const { user, callsTo } = renderApp('/settings');
    const mail = await section();
    const password = await within(mail).findByLabelText('Password');
    expect(password).toHaveValue('');
    expect(mail).toHaveTextContent('A password is saved; it is never shown.');

    const port = within(mail).getByLabelText('Port');
    await user.clear(port);
    await user.type(port, '465');
    await user.selectOptions(within(mail).getByLabelText('Encryption (TLS)'), 'tls');
    await user.click(within(mail).getByRole('button', { name: 'Save e-mail settings' }));
    await waitFor(() => expect(callsTo('save_mail_settings')).toHaveLength(1));
    expect(callsTo('save_mail_settings')[0]?.args).toMatchObject({
      settings: { port: 465, tls: 'tls', host: 'smtp.example.com', password: null, enabled: true },
    });
  });

  it('sends a new password once and can remove it', async () => {
    const { user, callsTo } = renderApp('/settings');
    const mail = await section();
    await user.type(await within(mail).findByLabelText('Password'), 'n3w-secret');
    await user.click(within(mail).getByRole('button', { name: 'Save e-mail settings' }));
    await waitFor(() =>
      expect(callsTo('save_mail_settings')[0]?.args).toMatchObject({ settings: { password: 'n3w-secret' } }),
    );
    await waitFor(() => expect(within(mail).getByLabelText('Password')).toHaveValue(''));
    await user.click(within(mail).getByLabelText('Remove the saved password'));
    await user.click(within(mail).getByRole('button', { name: 'Save e-mail settings' }));
    await waitFor(() => expect(callsTo('save_mail_settings')[1]?.args).toMatchObject({ settings: { password: '' } }));
    expect(await within(mail).findByText('No password is saved.')).toBeInTheDocument();
  });

  it("puts the core's field error next to the field", async () => {
    const { user } = renderApp('/settings', {
      save_mail_settings: () => {
        throw { code: 'invalid', message: 'The SMTP server is empty: enter its host name', field: 'mail.host' };
      },
    });
    const mail = await section();
    await user.clear(await within(mail).findByLabelText('SMTP server'));
    await user.click(within(mail).getByRole('button', { name: 'Save e-mail settings' }));
    const host = within(mail).getByLabelText('SMTP server');
    await waitFor(() => expect(host).toHaveAccessibleDescription(/The SMTP server is empty/));
  });

  it('sends a test e-mail and shows what the server said', async () => {
    const { user, callsTo } = renderApp('/settings', {
      send_test_mail: ({ to }) => ({ ok: false, message: `The test e-mail to ${to} was not sent: 535 bad login.` }),
    });
    const mail = await section();
    await user.type(await within(mail).findByLabelText(/Send a test e-mail to/), 'me@example.com{Enter}');
    const result = await within(mail).findByTestId('mail-test-result');
    expect(result).toHaveTextContent('Test e-mail failed');
    expect(result).toHaveTextContent('535 bad login');
    expect(callsTo('send_test_mail')[0]?.args).toEqual({ to: 'me@example.com' });
  });

  it('lists the outbox with errors and retries a waiting e-mail', async () => {
    const { user, callsTo } = renderApp('/settings');
    const table = await screen.findByRole('table', { name: 'Outbox' });
    expect(within(table).getByText('Your order SO-100002 has shipped')).toBeInTheDocument();
    expect(within(table).getByText(/Connection refused/)).toBeInTheDocument();
    expect(within(table).getAllByRole('button', { name: /^Retry/ })).toHaveLength(1);
    await user.click(within(table).getByRole('button', { name: /Retry e-mail to grace@example.com/ }));
    await waitFor(() => expect(callsTo('retry_mail')[0]?.args).toEqual({ id: 'mail-2' }));

    await user.selectOptions(screen.getByLabelText('Show'), 'sent');
    await waitFor(() => expect(callsTo('list_outbox').at(-1)?.args).toEqual({ status: 'sent', limit: 100 }));
  });
});
