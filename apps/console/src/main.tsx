import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { ApiError } from './api/client';
import { App } from './App';
import { usePrefersReducedMotion } from './lib/reduced-motion';
import './lib/time';

// colours that keep text at a 4.5:1 contrast at least (WCAG AA; checked by axe-core in the e2e tests)
const THEME = {
  token: {
    colorPrimary: '#1f5fbf',
    // hover and pressed shades darker, not lighter: white text on them stays readable
    colorPrimaryHover: '#174a94',
    colorPrimaryActive: '#123a75',
    colorLink: '#1f5fbf',
    colorInfo: '#1f5fbf',
    colorError: '#c8102e',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.68)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
    borderRadius: 4,
  },
};

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.problem.status < 500) && count < 2,
    },
  },
});

/** Ant Design's motion off when the person asks for reduced motion (lib/reduced-motion). */
function Root() {
  const reduced = usePrefersReducedMotion();
  const theme = useMemo(() => ({ token: { ...THEME.token, motion: !reduced } }), [reduced]);
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
