import { Button, Card, Form, Input, Space, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { checkIdentifier } from '../../lib/identifier';
import {
  ObjectionsPage,
  Party,
  PartyContext,
  PartyHeading,
  pathFor,
  RecordPage,
  RepairsPage,
  StatementsPage,
} from '../subject/views';

const TABS = [
  { key: 'record', label: '信用记录' },
  { key: 'statements', label: '陈述申辩' },
  { key: 'objections', label: '异议' },
  { key: 'repairs', label: '信用修复' },
];

/**
 * 信用办窗口: the counter acts for a subject it identified (`?subject=`): reads its record
 * (GET /v1/subjects/{identifier}/record, recorded in the subject's access log) and files statements,
 * objections and repair applications for it (`onBehalfOf`).
 */
export default function CounterPages() {
  const [params] = useSearchParams();
  const identifier = params.get('subject') ?? '';
  const [typed, setTyped] = useState(identifier);
  const check = useMemo(() => (typed ? checkIdentifier(typed) : undefined), [typed]);
  const navigate = useNavigate();
  const location = useLocation();
  const party: Party = { mode: 'counter', identifier, base: '/counter' };
  const tab = TABS.find((t) => location.pathname.startsWith(`/counter/${t.key}`))?.key ?? 'record';
  return (
    <PartyContext.Provider value={party}>
      <Card title="代办主体" style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          onFinish={() => {
            if (check?.ok) {
              navigate(pathFor({ ...party, identifier: typed.trim().toUpperCase() }, tab));
            }
          }}
        >
          <Form.Item
            label="统一社会信用代码或身份证号"
            htmlFor="counter-subject"
            validateStatus={check ? (check.ok ? 'success' : 'error') : undefined}
            help={check?.message}
          >
            <Input
              id="counter-subject"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              style={{ width: 280, maxWidth: '100%' }}
              autoComplete="off"
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" disabled={!check?.ok}>
              查询信用记录
            </Button>
          </Space>
        </Form>
      </Card>
      {identifier && (
        <>
          <PartyHeading />
          <Tabs
            activeKey={tab}
            onChange={(key) => navigate(pathFor(party, key))}
            items={TABS.map((t) => ({ key: t.key, label: t.label }))}
          />
          <Routes>
            <Route path="record" element={<RecordPage />} />
            <Route path="statements" element={<StatementsPage />} />
            <Route path="objections" element={<ObjectionsPage />} />
            <Route path="repairs" element={<RepairsPage />} />
            <Route path="*" element={<Navigate to={`record?subject=${identifier}`} replace />} />
          </Routes>
        </>
      )}
    </PartyContext.Provider>
  );
}
