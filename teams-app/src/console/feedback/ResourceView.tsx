import type { ReactNode } from 'react';
import { EmptyState } from './EmptyState';
import { LoadingState } from './LoadingState';
import { ProblemBar } from './ProblemBar';
import type { Resource } from './useResource';

interface ResourceViewProps<T> {
  resource: Resource<T>;
  /** What is loading, for the spinner: "Loading approvals…". */
  loadingLabel: string;
  /** Whether the loaded data has nothing to show, and what to say then. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** The loading, error and empty states every page shows the same way, around the page's own view of the data. */
export function ResourceView<T>({ resource, loadingLabel, isEmpty, empty, children }: ResourceViewProps<T>) {
  const { data, problem, loading, reload } = resource;
  if (data === undefined) {
    if (problem) return <ProblemBar problem={problem} onRetry={reload} />;
    return <LoadingState label={loadingLabel} />;
  }
  return (
    <>
      {problem && <ProblemBar problem={problem} onRetry={reload} />}
      {loading && <LoadingState label={loadingLabel} />}
      {isEmpty?.(data) ? <EmptyState>{empty}</EmptyState> : children(data)}
    </>
  );
}
