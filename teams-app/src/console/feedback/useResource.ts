import { useCallback, useEffect, useState } from 'react';
import { asApiProblem, isAbort, type ApiProblem } from '@asep/shared/client/problem';

export interface Resource<T> {
  /** The last data loaded; kept while a reload is under way so the page does not flicker. */
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload(): void;
  /** Changes the data in place after an action whose result the page already knows. */
  update(change: (data: T) => T): void;
}

/** Loads something from the API when the page opens (and on `reload`); `load` must be stable (useCallback). */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (loaded) => {
        setData(loaded);
        setProblem(undefined);
        setLoading(false);
      },
      (error: unknown) => {
        if (isAbort(error)) return;
        setProblem(asApiProblem(error));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const reload = useCallback(() => setAttempt((count) => count + 1), []);
  const update = useCallback((change: (current: T) => T) => setData((current) => (current === undefined ? current : change(current))), []);
  return { data, problem, loading, reload, update };
}
