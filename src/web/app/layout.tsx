import { ConnectionDetails, ConnectionMap, useStatus } from '../features/connection/index.ts';
import { ProblemsPanel } from '../features/problems/index.ts';
import { ApiProblemError } from '../lib/api-client.ts';
import { useLink } from '../lib/live-store/index.ts';
import { AUTH_REQUIRED_CODE } from './auth-api.ts';
import { PanelErrorBoundary } from './error-boundary.tsx';
import { AppFooter } from './footer.tsx';
import { FeedSection, TrafficSection } from './live-panels.tsx';
import { LoginForm } from './login-form.tsx';
import { PauseButton } from './pause-button.tsx';
import { LiveRegion, StateAnnouncer } from './state-announcer.tsx';
import { ThemeSwitch } from './theme-switch.tsx';

/**
 * The page: header (name, connection map, pause, theme), main panels (traffic, feed, error
 * objects, connection details), footer (relay version and mode), and the one polite live region.
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
      <header className="app-header" data-testid="app-header">
        <div className="app-header__bar">
          <h1 className="app-title">Livestream Monitor</h1>
          <div className="app-header__controls">
            <PauseButton />
            <ThemeSwitch />
          </div>
        </div>
        <ConnectionMap />
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
              <PanelErrorBoundary name="Live feed">
                <FeedSection />
              </PanelErrorBoundary>
            </div>
            <div className="panels__side">
              <PanelErrorBoundary name="Error objects">
                <ProblemsPanel relayVersion={relay?.version} relayMode={relay?.mode} />
              </PanelErrorBoundary>
              <PanelErrorBoundary name="Connection details">
                <ConnectionDetails />
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
