import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useCallback, useState } from 'react';

export interface MutationFormOptions<V, R> {
  /** the request (POST, PUT, DELETE…): throws an ApiError carrying the problem details */
  submit: (values: V) => Promise<R>;
  /** the message shown when it succeeds (Chinese), or none */
  success?: string | ((result: R, values: V) => string);
  /** the query keys whose lists the change makes stale (prefixes, as TanStack Query matches them) */
  invalidate?: readonly (readonly unknown[])[];
  /** after the message and the invalidation: close a drawer, reset a form… */
  onSuccess?: (result: R, values: V) => void | Promise<void>;
}

export interface MutationForm<V, R> {
  /** Submits; answers the result, or undefined when it failed (the problem is in `error`). */
  run: (values: V) => Promise<R | undefined>;
  busy: boolean;
  /** the last failure (an ApiError shows its message and code through ProblemAlert) */
  error: unknown;
  setError: (error: unknown) => void;
}

/**
 * The admin pages' "form → request → message → refresh the lists" in one place: a failure is kept for
 * ProblemAlert (never a toast that disappears with the code), a success says so and invalidates the lists.
 */
export function useMutationForm<V = Record<string, unknown>, R = unknown>(
  options: MutationFormOptions<V, R>,
): MutationForm<V, R> {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const { submit, success, invalidate, onSuccess } = options;
  const run = useCallback(
    async (values: V) => {
      setBusy(true);
      setError(undefined);
      try {
        const result = await submit(values);
        if (success) message.success(typeof success === 'function' ? success(result, values) : success);
        await Promise.all(
          (invalidate ?? []).map((queryKey) => client.invalidateQueries({ queryKey: [...queryKey] })),
        );
        await onSuccess?.(result, values);
        return result;
      } catch (err) {
        setError(err);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [submit, success, invalidate, onSuccess, message, client],
  );
  return { run, busy, error, setError };
}
