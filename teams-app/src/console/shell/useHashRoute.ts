import { useCallback, useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The page id in the URL fragment (`#/audit` → `audit`), so pages can be bookmarked and reloaded. */
function currentPageId(): string {
  return window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
}

export function useHashRoute(): [pageId: string, navigate: (pageId: string) => void] {
  const pageId = useSyncExternalStore(subscribe, currentPageId);
  const navigate = useCallback((next: string) => {
    window.location.hash = `/${next}`;
  }, []);
  return [pageId, navigate];
}
