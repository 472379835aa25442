import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Names the panel in the fallback. */
  name: string;
  children: ReactNode;
}

/** Keeps one failing panel from blanking the whole dashboard. */
export class PanelErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.name} panel failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="panel" role="alert">
        <h2>{this.props.name}</h2>
        <p>This panel failed to draw: {this.state.error.message}</p>
        <button type="button" className="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
