import { Component, type ReactNode } from 'react';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { ProblemBar } from './ProblemBar';

/** Keeps one broken page (a chunk that failed to load, an answer it cannot show) from blanking the whole console. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { problem?: ApiProblem }> {
  override state: { problem?: ApiProblem } = {};

  static getDerivedStateFromError(error: unknown) {
    return { problem: asApiProblem(error) };
  }

  override render() {
    if (!this.state.problem) return this.props.children;
    return <ProblemBar problem={this.state.problem} retryLabel="Reload" onRetry={() => window.location.reload()} />;
  }
}
