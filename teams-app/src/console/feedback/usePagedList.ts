import { useCallback, useState } from 'react';
import type { ApiPage } from '@asep/shared/client/call';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { useResource, type Resource } from './useResource';

export interface PagedList<T> {
  /** The first page and every page appended since, in the API's order. */
  resource: Resource<ApiPage<T>>;
  /** True while the API has handed out a token for a page after the ones loaded. */
  hasMore: boolean;
  /** The last page is in (and no other filter's first page is on its way). */
  complete: boolean;
  loadingMore: boolean;
  moreProblem: ApiProblem | undefined;
  loadMore(): Promise<void>;
}

/**
 * A list the API serves a page at a time: loads the first page (again whenever `loadPage` changes, e.g. with a
 * filter), and `loadMore` appends the page its continuation token names. An item already shown (same `key`) is
 * not shown twice.
 */
export function usePagedList<T>(
  loadPage: (continuationToken: string | undefined, signal?: AbortSignal) => Promise<ApiPage<T>>,
  key: (item: T) => string,
): PagedList<T> {
  const resource = useResource(useCallback((signal: AbortSignal) => loadPage(undefined, signal), [loadPage]));
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreProblem, setMoreProblem] = useState<ApiProblem>();
  const token = resource.data?.continuationToken;

  const loadMore = async () => {
    if (!token) return;
    setLoadingMore(true);
    setMoreProblem(undefined);
    try {
      const next = await loadPage(token);
      resource.update((current) => {
        const seen = new Set(current.items.map(key));
        const items = [...current.items, ...next.items.filter((item) => !seen.has(key(item)))];
        return next.continuationToken ? { items, continuationToken: next.continuationToken } : { items };
      });
    } catch (error) {
      setMoreProblem(asApiProblem(error));
    } finally {
      setLoadingMore(false);
    }
  };

  // While another filter's first page loads, the token in hand belongs to the list before.
  return {
    resource,
    hasMore: token !== undefined && !resource.loading,
    complete: token === undefined && !resource.loading && resource.data !== undefined,
    loadingMore,
    moreProblem,
    loadMore,
  };
}
