/** Runs a request when its inputs change; drops answers that arrive after newer inputs. */
import { useEffect, useState } from 'react';
import { toShownError, type ShownError } from '../../api';

export function useAsync<T>(
  load: (() => Promise<T>) | null,
  deps: readonly unknown[],
): { value: T | null; error: ShownError | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  useEffect(() => {
    let current = true;
    setValue(null);
    if (!load) return;
    load()
      .then((v) => current && (setValue(v), setError(null)))
      .catch((err) => current && setError(toShownError(err)));
    return () => {
      current = false;
    };
    // The caller lists what the request depends on.
  }, deps);
  return { value, error };
}
