import { useStatus } from '../features/connection/index.ts';
import { logout } from './auth-api.ts';

const DASHBOARD_VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';

/** Relay version, mode and run; sign-out when a password protects the relay. */
export function AppFooter() {
  const { data } = useStatus();
  const relay = data?.relay;
  return (
    <footer className="app-footer" data-testid="app-footer">
      {relay ? (
        <span>
          Relay {relay.version} · {relay.mode === 'simulator' ? 'simulator (no Adobe account)' : `mode ${relay.mode}`}
          {relay.runId ? ` · run ${relay.runId}` : ''}
        </span>
      ) : (
        <span>Relay: unknown</span>
      )}
      <span>Dashboard {DASHBOARD_VERSION}</span>
      {relay?.passwordProtected ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            void logout().finally(() => location.reload());
          }}
        >
          Sign out
        </button>
      ) : null}
    </footer>
  );
}
