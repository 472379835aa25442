import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeNotification } from '../../../test/fake-notification.ts';
import { alertFixture } from '../../../test/fixtures.ts';
import { NOTIFY_STORAGE_KEY, notifyAlert } from '../utils/notification-setting.ts';
import { NotificationToggle } from './notification-toggle.tsx';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

function install(permission: NotificationPermission, answer?: NotificationPermission) {
  const fake = installFakeNotification(permission, answer);
  restore = fake.restore;
  return fake;
}

const checkbox = () => screen.getByRole('checkbox', { name: 'Notify me when an alert fires' });

describe('NotificationToggle', () => {
  it('asks the browser only on the click, remembers the choice, and then notifies while the tab is hidden', async () => {
    const fake = install('default', 'granted');
    render(<NotificationToggle />);
    // Rendering asks nothing.
    expect(fake.requests.count).toBe(0);
    expect((checkbox() as HTMLInputElement).checked).toBe(false);
    expect(notifyAlert(alertFixture())).toBeUndefined();

    await userEvent.click(checkbox());
    await waitFor(() => expect((checkbox() as HTMLInputElement).checked).toBe(true));
    expect(fake.requests.count).toBe(1);
    expect(localStorage.getItem(NOTIFY_STORAGE_KEY)).toBe('on');
    expect(screen.getByTestId('alerts-notify-state').textContent).toBe(
      'While this tab is hidden, each alert that fires shows a notification.',
    );

    // Visible: nothing; hidden: one notification, tagged with the alert's id.
    const alert = alertFixture({ description: 'First line.\nSecond line.' });
    expect(notifyAlert(alert)).toBeUndefined();
    fake.setVisibility('hidden');
    expect(notifyAlert(alert)).toBeDefined();
    expect(fake.shown).toEqual([
      expect.objectContaining({ title: `Critical: ${alert.summary}`, options: { body: 'First line.', tag: alert.id } }),
    ]);

    // Turned off: remembered, and nothing more is shown.
    await userEvent.click(checkbox());
    expect((checkbox() as HTMLInputElement).checked).toBe(false);
    expect(localStorage.getItem(NOTIFY_STORAGE_KEY)).toBeNull();
    expect(notifyAlert(alertFixture())).toBeUndefined();
    expect(fake.shown).toHaveLength(1);
  });

  it('keeps the choice across visits while the permission lasts; turning it on again asks nothing', async () => {
    const fake = install('granted');
    localStorage.setItem(NOTIFY_STORAGE_KEY, 'on');
    render(<NotificationToggle />);
    expect((checkbox() as HTMLInputElement).checked).toBe(true);
    await userEvent.click(checkbox());
    await userEvent.click(checkbox());
    expect((checkbox() as HTMLInputElement).checked).toBe(true);
    expect(fake.requests.count).toBe(0);
  });

  it('says plainly when the operator refuses at the prompt, and offers nothing the browser would block', async () => {
    install('default', 'denied');
    render(<NotificationToggle />);
    await userEvent.click(checkbox());
    await waitFor(() =>
      expect(screen.getByTestId('alerts-notify-state').textContent).toMatch(/^Notifications are blocked for this site/),
    );
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(localStorage.getItem(NOTIFY_STORAGE_KEY)).toBeNull();
  });

  it('says when the prompt was dismissed without an answer, and leaves it off', async () => {
    install('default', 'default');
    render(<NotificationToggle />);
    await userEvent.click(checkbox());
    await waitFor(() =>
      expect(screen.getByTestId('alerts-notify-state').textContent).toMatch(/^The browser did not allow notifications/),
    );
    expect((checkbox() as HTMLInputElement).checked).toBe(false);
  });

  it('a permission blocked earlier: no control, the reason, even if this browser remembers an opt-in', () => {
    install('denied');
    localStorage.setItem(NOTIFY_STORAGE_KEY, 'on');
    render(<NotificationToggle />);
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByTestId('alerts-notify-state').textContent).toContain(
      "allow them in the browser's site settings",
    );
    expect(notifyAlert(alertFixture())).toBeUndefined();
  });

  it('a browser without notifications: says so', () => {
    // jsdom has no Notification API.
    render(<NotificationToggle />);
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByTestId('alerts-notify-state').textContent).toMatch(/^This browser cannot show notifications/);
    expect(notifyAlert(alertFixture())).toBeUndefined();
  });
});
