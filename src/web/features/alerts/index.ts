export { AlertBanner, ALERTS_PANEL_ID } from './components/alert-banner.tsx';
export { AlertsPanel, AlertEntry } from './components/alerts-panel.tsx';
export { NotificationToggle } from './components/notification-toggle.tsx';
export { alertsQueryOptions, useAlerts } from './api/get-alerts.ts';
export { alertHistory, firingAlerts } from './utils/alert-list.ts';
export {
  alertNotificationState,
  enableAlertNotifications,
  disableAlertNotifications,
  notifyAlert,
  NOTIFY_STORAGE_KEY,
  type AlertNotificationState,
} from './utils/notification-setting.ts';
