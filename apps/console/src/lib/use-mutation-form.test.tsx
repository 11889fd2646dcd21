import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { App } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useMutationForm } from './use-mutation-form';

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const invalidated: unknown[] = [];
  const original = client.invalidateQueries.bind(client);
  client.invalidateQueries = ((filters?: { queryKey?: unknown[] }) => {
    invalidated.push(filters?.queryKey);
    return original(filters);
  }) as typeof client.invalidateQueries;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>
      <App>{children}</App>
    </QueryClientProvider>
  );
  return { wrapper, invalidated };
}

describe('useMutationForm', () => {
  it('submits, says so, refreshes the lists and answers the result', async () => {
    const { wrapper, invalidated } = setup();
    const sent: unknown[] = [];
    const done: unknown[] = [];
    const { result } = renderHook(
      () =>
        useMutationForm<{ code: string }, { code: string; version: number }>({
          submit: async (v) => {
            sent.push(v);
            return { code: v.code, version: 2 };
          },
          success: (r) => `已保存为第 ${r.version} 版`,
          invalidate: [['measures'], ['legality-report']],
          onSuccess: (r) => void done.push(r),
        }),
      { wrapper },
    );
    let answer: unknown;
    await act(async () => {
      answer = await result.current.run({ code: 'M1' });
    });
    expect(answer).toEqual({ code: 'M1', version: 2 });
    expect(sent).toEqual([{ code: 'M1' }]);
    expect(invalidated).toEqual([['measures'], ['legality-report']]);
    expect(done).toEqual([{ code: 'M1', version: 2 }]);
    expect(result.current.error).toBeUndefined();
    expect(result.current.busy).toBe(false);
    expect(document.body.textContent).toContain('已保存为第 2 版');
  });

  it('keeps the problem for the page and refreshes nothing when the request fails', async () => {
    const { wrapper, invalidated } = setup();
    const problem = new ApiError({
      status: 422,
      code: 'MEASURE.BLOCK_NEEDS_LAW',
      detail: 'a block needs a law',
    });
    const done: unknown[] = [];
    const { result } = renderHook(
      () =>
        useMutationForm({
          submit: async () => {
            throw problem;
          },
          success: '已保存',
          invalidate: [['measures']],
          onSuccess: () => void done.push(1),
        }),
      { wrapper },
    );
    let answer: unknown = 'unset';
    await act(async () => {
      answer = await result.current.run({});
    });
    expect(answer).toBeUndefined();
    expect(result.current.error).toBe(problem);
    expect(invalidated).toEqual([]);
    expect(done).toEqual([]);
    // the next attempt starts clean
    await act(async () => {
      result.current.setError(undefined);
    });
    expect(result.current.error).toBeUndefined();
  });
});
