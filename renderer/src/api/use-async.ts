/**
 * Runs a request when its arguments change; drops answers that arrive after newer arguments.
 *
 * The arguments are plain data (compared by value, as JSON) and `fetch` is a function defined
 * once at module level, so the effect depends on values the lint rules can see and nothing is
 * memoised by hand. `refresh` asks again with the same arguments (a run finished); the old
 * answer stays on screen until the new one comes. State is set only when an answer arrives, and
 * an answer is shown only for the arguments that asked for it.
 */
import { useEffect, useState } from 'react';
import { toShownError, type ShownError } from './errors';

interface Answer<T> {
  readonly key: string;
  readonly value: T | null;
  readonly error: ShownError | null;
}

/** The latest answer to `fetch(args)`; nulls while it is on its way or when `args` is null. */
export function useAsync<A, T>(
  fetch: (args: A) => Promise<T>,
  args: A | null,
  refresh?: unknown,
): { value: T | null; error: ShownError | null } {
  const key = args === null ? null : JSON.stringify(args);
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    fetch(JSON.parse(key) as A)
      .then((value) => current && setAnswer({ key, value, error: null }))
      .catch((err) => current && setAnswer({ key, value: null, error: toShownError(err) }));
    return () => {
      current = false;
    };
    // `refresh` is not read: a new value of it is the signal to ask again.
  }, [fetch, key, refresh]);
  const fresh = key !== null && answer?.key === key;
  return { value: fresh ? answer.value : null, error: fresh ? answer.error : null };
}
