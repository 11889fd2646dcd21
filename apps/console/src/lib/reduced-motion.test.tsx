import { act, renderHook } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { usePrefersReducedMotion } from './reduced-motion';

/** A stand-in for the browser's media query list: jsdom has no matchMedia. */
function mediaSetting(initially: boolean) {
  const listeners = new Set<() => void>();
  const list = {
    matches: initially,
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  };
  vi.stubGlobal('matchMedia', (query: string) => {
    expect(query).toBe('(prefers-reduced-motion: reduce)');
    return list;
  });
  return {
    listeners,
    change(to: boolean) {
      list.matches = to;
      for (const l of listeners) l();
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('usePrefersReducedMotion', () => {
  it('answers the setting, follows a change while the page is open, and stops listening when unmounted', () => {
    const setting = mediaSetting(false);
    const { result, unmount } = renderHook(() => usePrefersReducedMotion());
    expect(result.current).toBe(false);
    act(() => setting.change(true));
    expect(result.current).toBe(true);
    act(() => setting.change(false));
    expect(result.current).toBe(false);
    unmount();
    expect(setting.listeners.size).toBe(0);
  });

  it('asks for no motion from the first render when the person has set it', () => {
    mediaSetting(true);
    const { result } = renderHook(() => usePrefersReducedMotion());
    expect(result.current).toBe(true);
  });
});
