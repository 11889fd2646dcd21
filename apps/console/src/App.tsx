import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useSyncExternalStore } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Role, session } from './auth/session';
import { SignInPage } from './pages/SignIn';

// one chunk per role: a person downloads only the pages of the role they signed in as
const InitiatorPages = lazy(() => import('./pages/initiator'));
const ImplementerPages = lazy(() => import('./pages/implementer'));
const SupervisorPages = lazy(() => import('./pages/supervisor'));
const AdminPages = lazy(() => import('./pages/admin'));
const SubjectPages = lazy(() => import('./pages/subject'));
const CounterPages = lazy(() => import('./pages/counter'));
// 信用公示: no sign-in
const PublicPages = lazy(() => import('./pages/public'));

const ROLE_LABELS: Record<Role, string> = {
  initiator: '认定部门',
  implementer: '实施部门',
  system: '实施部门（系统）',
  supervisor: '跟踪问效',
  credit_office: '信用办窗口',
  admin: '管理员',
  subject: '信用主体',
};

export const MENUS: Record<string, { key: string; label: string }[]> = {
  initiator: [
    { key: '/initiator/entries', label: '名单条目' },
    { key: '/initiator/new', label: '新建认定' },
    { key: '/initiator/import', label: '批量导入' },
    { key: '/initiator/pending', label: '陈述、异议与修复' },
    { key: '/initiator/cases', label: '典型案例' },
    { key: '/initiator/commitments', label: '信用承诺' },
  ],
  implementer: [
    { key: '/implementer/inbox', label: '待办任务' },
    { key: '/implementer/check', label: '核查工具' },
    { key: '/implementer/webhooks', label: '推送设置' },
    { key: '/implementer/watch-list', label: '关注名单' },
    { key: '/implementer/cases', label: '典型案例' },
  ],
  supervisor: [
    { key: '/supervisor/dashboard', label: '监测看板' },
    { key: '/supervisor/overdue', label: '逾期督办' },
    { key: '/supervisor/trail', label: '全程留痕' },
    { key: '/supervisor/reconciliation', label: '对账缺口' },
    { key: '/supervisor/assessment', label: '考核报告' },
    { key: '/supervisor/exports', label: '数据导出' },
    { key: '/supervisor/access-log', label: '查询日志' },
    { key: '/supervisor/publication', label: '公示动态' },
    { key: '/supervisor/legality', label: '措施合法性' },
    { key: '/supervisor/cases', label: '典型案例' },
  ],
  subject: [
    { key: '/subject/record', label: '信用记录' },
    { key: '/subject/statements', label: '陈述申辩' },
    { key: '/subject/objections', label: '异议' },
    { key: '/subject/repairs', label: '信用修复' },
    { key: '/subject/documents', label: '送达文书' },
    { key: '/subject/access-log', label: '查询记录' },
    { key: '/subject/commitments', label: '信用承诺' },
  ],
  counter: [{ key: '/counter/record', label: '代办信用事项' }],
  admin: [
    { key: '/admin/departments', label: '部门' },
    { key: '/admin/list-types', label: '名单类型' },
    { key: '/admin/memoranda', label: '备忘录与措施' },
    { key: '/admin/allow-list', label: '标识白名单' },
  ],
};

/** The console section a role works in. */
export function sectionOf(roles: readonly Role[]): keyof typeof MENUS | undefined {
  if (roles.includes('initiator')) return 'initiator';
  if (roles.includes('implementer') || roles.includes('system')) return 'implementer';
  if (roles.includes('supervisor')) return 'supervisor';
  if (roles.includes('credit_office')) return 'counter';
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('subject')) return 'subject';
  return undefined;
}

export function App() {
  const token = useSyncExternalStore(session.subscribe, () => session.token() ?? null);
  const location = useLocation();
  const claims = token ? session.claims() : undefined;
  if (!claims) {
    return (
      <Routes>
        <Route path="/sign-in/*" element={<SignInPage />} />
        <Route path="/disclosure/*" element={<PublicRoute />} />
        <Route path="*" element={<Navigate to="/sign-in" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  if (location.pathname.startsWith('/disclosure')) return <PublicRoute />;
  const section = sectionOf(claims.roles);
  const items = section ? MENUS[section] : [];
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 16 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          联合奖惩平台
        </Typography.Title>
        {/* on a tablet the menu scrolls in its bar: Ant Design's overflow menu would hide links with aria-hidden */}
        <nav aria-label="主菜单" style={{ flex: 1, minWidth: 0, overflowX: 'auto', scrollbarWidth: 'thin' }}>
          <Menu
            theme="dark"
            mode="horizontal"
            disabledOverflow
            selectedKeys={selected ? [selected] : []}
            items={items.map((i) => ({ key: i.key, label: <Link to={i.key}>{i.label}</Link> }))}
          />
        </nav>
        <Space style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          <span data-testid="who">
            {claims.dept ?? claims.sub} · {claims.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}
          </span>
          <Button size="small" onClick={() => session.signOut()}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        <main>
          <Suspense fallback={<Spin size="large" style={{ display: 'block', marginTop: 80 }} />}>
            <Routes>
              <Route path="/initiator/*" element={<InitiatorPages />} />
              <Route path="/implementer/*" element={<ImplementerPages />} />
              <Route path="/supervisor/*" element={<SupervisorPages />} />
              <Route path="/admin/*" element={<AdminPages />} />
              <Route path="/subject/*" element={<SubjectPages />} />
              <Route path="/counter/*" element={<CounterPages />} />
              <Route
                path="*"
                element={
                  section ? (
                    <Navigate to={items[0].key} replace />
                  ) : (
                    <Result status="403" title="此角色暂无控制台页面" subTitle={claims.roles.join(', ')} />
                  )
                }
              />
            </Routes>
          </Suspense>
        </main>
      </Layout.Content>
    </Layout>
  );
}

function PublicRoute() {
  return (
    <Suspense fallback={<Spin size="large" style={{ display: 'block', marginTop: 80 }} />}>
      <PublicPages />
    </Suspense>
  );
}
