import { useQuery } from '@tanstack/react-query';
import { Button, Card, Divider, Form, Input, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, request } from '../api/client';
import { beginSignIn, completeSignIn, OidcConfig } from '../auth/pkce';
import { session } from '../auth/session';
import { ProblemAlert } from '../components/common';

interface DevOptions {
  mode: 'development';
  departments: { code: string; name: string; region: string; roles: string[] }[];
  /** listed subjects and their related persons, to sign in as (role subject) */
  subjects?: { id: string; name: string; kind: string; role?: string; of?: string }[];
}

const RELATED_ROLES: Record<string, string> = { legal_representative: '法定代表人', principal: '主要负责人' };

const ROLE_NAMES: Record<string, string> = {
  initiator: '认定部门（initiator）',
  implementer: '实施部门（implementer）',
  system: '部门系统（system）',
  supervisor: '跟踪问效（supervisor）',
  credit_office: '信用办窗口（credit_office）',
  admin: '管理员（admin）',
};

/**
 * Sign-in: in development the demo's departments and roles (GET /dev/v1/sign-in-options, a token from
 * POST /dev/v1/token); where those routes do not exist (production), OpenID Connect with PKCE as
 * /config.json's `oidc` says.
 */
export function SignInPage() {
  const navigate = useNavigate();
  const mode = useQuery({
    queryKey: ['sign-in-mode'],
    retry: false,
    queryFn: async () => {
      try {
        return { dev: await request<DevOptions>('GET', '/dev/v1/sign-in-options') };
      } catch (err) {
        if (!(err instanceof ApiError) || err.problem.status !== 404) throw err;
        const config = await request<{ oidc: OidcConfig | null }>('GET', '/config.json');
        return { oidc: config.oidc };
      }
    },
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [dept, setDept] = useState<string>();
  const [role, setRole] = useState<string>();
  const [subject, setSubject] = useState<string>();
  const [typedSubject, setTypedSubject] = useState('');

  const oidc = mode.data?.oidc;
  useEffect(() => {
    if (oidc && window.location.search.includes('code=')) {
      completeSignIn(oidc, window.location.search).then((token) => {
        session.signIn(token);
        navigate('/', { replace: true });
      }, setError);
    }
  }, [oidc, navigate]);

  const department = mode.data?.dev?.departments.find((d) => d.code === dept);
  const mint = async (body: object) => {
    setBusy(true);
    setError(undefined);
    try {
      const minted = await request<{ token: string }>('POST', '/dev/v1/token', body);
      session.signIn(minted.token);
      navigate('/', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const subjectId = typedSubject.trim() || subject;
  return (
    <main
      style={{
        display: 'flex',
        justifyContent: 'center',
        paddingTop: '10vh',
        minHeight: '100vh',
        background: '#f0f2f5',
      }}
    >
      <Card style={{ width: 440 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          联合奖惩平台 · 登录
        </Typography.Title>
        <ProblemAlert error={error ?? mode.error} />
        {mode.isLoading && <Spin />}
        {mode.data?.dev && (
          <Form layout="vertical" onFinish={() => mint({ dept, role })}>
            <Typography.Paragraph type="secondary">
              开发环境：选择演示部门和角色登录（生产环境使用统一身份认证）。
            </Typography.Paragraph>
            <Form.Item label="部门" htmlFor="sign-in-dept" required>
              <Select
                id="sign-in-dept"
                showSearch
                optionFilterProp="label"
                value={dept}
                onChange={(v) => {
                  setDept(v);
                  setRole(undefined);
                }}
                options={mode.data.dev.departments.map((d) => ({
                  value: d.code,
                  label: `${d.name}（${d.code}）`,
                }))}
                placeholder="选择部门"
              />
            </Form.Item>
            <Form.Item label="角色" htmlFor="sign-in-role" required>
              <Select
                id="sign-in-role"
                value={role}
                onChange={setRole}
                disabled={!department}
                options={(department?.roles ?? []).map((r) => ({ value: r, label: ROLE_NAMES[r] ?? r }))}
                placeholder="选择角色"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} disabled={!dept || !role}>
              登录
            </Button>
          </Form>
        )}
        {mode.data?.dev && (
          <Form layout="vertical" onFinish={() => mint({ role: 'subject', subject: subjectId })}>
            <Divider plain>信用主体登录（演示）</Divider>
            <Form.Item label="信用主体" htmlFor="sign-in-subject">
              <Select
                id="sign-in-subject"
                showSearch
                allowClear
                optionFilterProp="label"
                value={subject}
                onChange={setSubject}
                options={(mode.data.dev.subjects ?? []).map((p) => ({
                  value: p.id,
                  label: p.role
                    ? `${p.name}（${p.of}的${RELATED_ROLES[p.role] ?? p.role}）`
                    : `${p.name}（${p.id}）`,
                }))}
                placeholder="选择名单中的主体或其法定代表人"
              />
            </Form.Item>
            <Form.Item label="或输入统一社会信用代码 / 身份证号" htmlFor="sign-in-subject-id">
              <Input
                id="sign-in-subject-id"
                value={typedSubject}
                onChange={(e) => setTypedSubject(e.target.value)}
                autoComplete="off"
              />
            </Form.Item>
            <Button htmlType="submit" block loading={busy} disabled={!subjectId}>
              以信用主体身份进入
            </Button>
          </Form>
        )}
        <Divider plain />
        <Link to="/disclosure">信用信息公示查询（无需登录）</Link>
        {mode.data && !mode.data.dev && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {oidc ? (
              <Button type="primary" block onClick={() => beginSignIn(oidc).catch(setError)}>
                统一身份认证登录
              </Button>
            ) : (
              <Typography.Text type="danger">未配置身份提供方（config.json 的 oidc）。</Typography.Text>
            )}
          </Space>
        )}
      </Card>
    </main>
  );
}
