import { Button } from '@fluentui/react-components';
import { ProblemBar } from './ProblemBar';
import type { PagedList } from './usePagedList';

/** The "Load more" button under a paged list, gone once the last page is in; a failed page can be retried. */
export function LoadMore<T>({ list, label }: { list: PagedList<T>; label: string }) {
  return (
    <>
      {list.moreProblem && <ProblemBar problem={list.moreProblem} onRetry={() => void list.loadMore()} />}
      {list.hasMore && (
        <div>
          <Button onClick={() => void list.loadMore()} disabled={list.loadingMore}>
            {list.loadingMore ? 'Loading…' : label}
          </Button>
        </div>
      )}
    </>
  );
}
