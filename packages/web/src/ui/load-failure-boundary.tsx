/**
 * Catches a part of the app that failed to load (a lazily loaded chunk: the network dropped, or a
 * deploy replaced the file while the page was open) and offers to reload the page, instead of
 * React unmounting the whole app and leaving a blank page. React.lazy keeps a failed load, so only
 * a reload can try again.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** What failed to load, for the message ("the editor"). */
  what: string;
  children?: ReactNode;
}

export class LoadFailureBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="center-page" role="alert">
        <h1>Something did not load</h1>
        <p>
          {`We could not load ${this.props.what}: the connection may have dropped, or a new version of the app was just released.`}
        </p>
        <p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </p>
      </main>
    );
  }
}
