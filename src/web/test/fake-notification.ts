import { vi } from 'vitest';

/** One `new Notification(title, options)` the page made. */
export interface ShownNotification {
  title: string;
  options: NotificationOptions | undefined;
  closed: boolean;
  onclick: ((event: Event) => void) | null;
}

/**
 * A stand-in for the browser's Notification API (jsdom has none), installed as the global:
 * `permission` as given, `requestPermission()` answering `answer` (and counting the asks), each
 * notification recorded in `shown`. `setVisibility()` makes `document.visibilityState` say hidden
 * or visible. Undone by `vi.unstubAllGlobals()` and `restore()` (the test setup calls the first).
 */
export function installFakeNotification(
  permission: NotificationPermission,
  answer: NotificationPermission = 'granted',
) {
  const shown: ShownNotification[] = [];
  const requests = { count: 0 };
  class FakeNotification {
    static permission: NotificationPermission = permission;
    static requestPermission = vi.fn(() => {
      requests.count++;
      FakeNotification.permission = answer;
      return Promise.resolve(answer);
    });
    onclick: ((event: Event) => void) | null = null;
    readonly record: ShownNotification;
    constructor(title: string, options?: NotificationOptions) {
      this.record = { title, options, closed: false, onclick: null };
      shown.push(this.record);
      // The page sets onclick after construction: keep the record's view of it current.
      Object.defineProperty(this, 'onclick', {
        get: () => this.record.onclick,
        set: (fn: ((event: Event) => void) | null) => (this.record.onclick = fn),
      });
    }
    close() {
      this.record.closed = true;
    }
  }
  vi.stubGlobal('Notification', FakeNotification);
  let visibility: DocumentVisibilityState = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  return {
    api: FakeNotification,
    shown,
    requests,
    setVisibility(state: DocumentVisibilityState) {
      visibility = state;
    },
    restore() {
      // The document's own property goes; the prototype's getter shows through again.
      delete (document as { visibilityState?: unknown }).visibilityState;
    },
  };
}
