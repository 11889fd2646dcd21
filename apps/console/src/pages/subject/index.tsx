import { Navigate, Route, Routes } from 'react-router-dom';
import { useSyncExternalStore } from 'react';
import { session } from '../../auth/session';
import {
  AccessLogPage,
  DocumentsPage,
  ObjectionsPage,
  PartyContext,
  PartyHeading,
  RecordPage,
  RepairsPage,
  StatementsPage,
} from './views';
import { CommitmentsPage } from './commitments';

/** The listed subject's own pages (role `subject`; its identifier is its token's `sub`). */
export default function SubjectPages() {
  const sub = useSyncExternalStore(session.subscribe, () => session.claims()?.sub ?? '');
  return (
    <PartyContext.Provider value={{ mode: 'self', identifier: sub, base: '/subject' }}>
      <PartyHeading />
      <Routes>
        <Route path="record" element={<RecordPage />} />
        <Route path="statements" element={<StatementsPage />} />
        <Route path="objections" element={<ObjectionsPage />} />
        <Route path="repairs" element={<RepairsPage />} />
        <Route path="documents" element={<DocumentsPage />} />
        <Route path="access-log" element={<AccessLogPage />} />
        <Route path="commitments" element={<CommitmentsPage />} />
        <Route path="*" element={<Navigate to="record" replace />} />
      </Routes>
    </PartyContext.Provider>
  );
}
