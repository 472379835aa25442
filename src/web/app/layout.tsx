import { AlertBanner, AlertsPanel } from '../features/alerts/index.ts';
import { ConnectionDetails, ConnectionMap, useStatus } from '../features/connection/index.ts';
import { ProblemsPanel } from '../features/problems/index.ts';
import { ApiProblemError } from '../lib/api-client.ts';
import { useLink } from '../lib/live-store/index.ts';
import { AUTH_REQUIRED_CODE } from './auth-api.ts';
import { PanelErrorBoundary } from './error-boundary.tsx';
import { AppFooter } from './footer.tsx';
import { FEED_SECTION_ID, FeedSection, StreamQualitySection, TrafficSection } from './live-panels.tsx';
import { LoginForm } from './login-form.tsx';
import { PauseButton } from './pause-button.tsx';
import { LiveRegion, StateAnnouncer } from './state-announcer.tsx';
import { ThemeSwitch, TimeZoneSwitch } from './theme-switch.tsx';

/**
 * The page: the firing alerts' banner above everything, header (name, connection map, pause,
 * theme, time zone), main panels (traffic and, beside it, alerts, error objects and connection
 * details; then the feed across the whole width), footer (relay version and mode), and the one
 * polite live region (the alerts keep their own, in the banner).
 *
 * The header keeps one height whatever the connection does (no layout shift). On a phone it
 * stacks: name, then the connection state (Livestream first), then the controls.
 */
export function Layout() {
  const status = useStatus();
  const link = useLink();
  const needsLogin =
    link.state === 'unauthorized' ||
    (status.error instanceof ApiProblemError && status.error.problem.code === AUTH_REQUIRED_CODE);
  const relay = status.data?.relay;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the panels
      </a>
      {needsLogin ? null : (
        <PanelErrorBoundary name="Alerts banner">
          <AlertBanner />
        </PanelErrorBoundary>
      )}
      <header className="app-header" data-testid="app-header">
        <h1 className="app-title">Livestream Monitor</h1>
        <ConnectionMap />
        <div className="app-header__controls">
          <PauseButton />
          <TimeZoneSwitch />
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1} data-testid="app-main">
        {needsLogin ? (
          <LoginForm />
        ) : (
          <div className="panels">
            <div className="panels__live">
              <PanelErrorBoundary name="Traffic">
                <TrafficSection />
              </PanelErrorBoundary>
            </div>
            <div className="panels__side">
              <PanelErrorBoundary name="Alerts">
                <AlertsPanel />
              </PanelErrorBoundary>
              <PanelErrorBoundary name="Error objects">
                <ProblemsPanel relayVersion={relay?.version} relayMode={relay?.mode} />
              </PanelErrorBoundary>
              <PanelErrorBoundary name="Stream quality">
                <StreamQualitySection />
              </PanelErrorBoundary>
              <PanelErrorBoundary name="Connection details">
                <ConnectionDetails />
              </PanelErrorBoundary>
            </div>
            <div className="panels__feed" id={FEED_SECTION_ID} tabIndex={-1}>
              <PanelErrorBoundary name="Live feed">
                <FeedSection />
              </PanelErrorBoundary>
            </div>
          </div>
        )}
      </main>
      <AppFooter />
      <LiveRegion />
      <StateAnnouncer />
    </div>
  );
}
