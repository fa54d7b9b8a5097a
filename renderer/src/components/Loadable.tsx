import { Alert, Button } from 'antd';
import { Component, Suspense, type ReactNode } from 'react';
import { useT } from '../stores/app-store';

/**
 * Suspense for parts fetched on demand (lazyNamed), with what to show if one cannot be fetched: in
 * browser mode a page left open across an update or restart asks for script files that are no
 * longer there, and without this React would unmount the whole window to a blank page. The failure
 * stays inside this part (the menu around it keeps working) and clears when `resetKey` changes,
 * e.g. when another section is chosen.
 */
export function Loadable({ fallback, resetKey, children }: { fallback: ReactNode; resetKey?: unknown; children: ReactNode }) {
  return (
    <LoadBoundary resetKey={resetKey}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </LoadBoundary>
  );
}

interface BoundaryState {
  failed: boolean;
  /** The resetKey the state belongs to: a new one clears a failure. */
  key: unknown;
}

class LoadBoundary extends Component<{ resetKey: unknown; children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromError(): Partial<BoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { resetKey: unknown }, state: BoundaryState): BoundaryState | null {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  override render(): ReactNode {
    return this.state.failed ? <LoadFailed /> : this.props.children;
  }
}

function LoadFailed() {
  const t = useT();
  return (
    <Alert
      type="error"
      showIcon
      style={{ margin: 24 }}
      title={t('loadFailed.title')}
      description={t('loadFailed.detail')}
      action={
        <Button size="small" onClick={() => window.location.reload()}>
          {t('loadFailed.reload')}
        </Button>
      }
      data-testid="load-failed"
    />
  );
}
