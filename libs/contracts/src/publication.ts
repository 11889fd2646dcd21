import { Static, Type } from '@sinclair/typebox';
import { Instant, OneOf, Opt, Text, Uuid } from './schema-types';
import { COLOURS, SEVERITIES, SUBJECT_KINDS } from './domain';
import { DecisionRefV1 } from './payloads';

/*
 * 公示 (issue 14): what the public routes show and what external platforms (信用中国, the provincial
 * platform) mirror. Topic `credit.publication`, keyed by the entry id; the subject is masked as on the
 * public routes (an individual's name and ID number), and nothing else personal travels.
 */

/**
 * Why a publication was withdrawn (终止公示): `ended` (the period ran out, 期满), `repaired` (信用修复),
 * `revoked` (the decision was withdrawn or overturned), `corrected` (the record was wrong; a corrected one
 * may follow as a new revision).
 */
export const WITHDRAWAL_REASONS = ['ended', 'repaired', 'revoked', 'corrected'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

export const PublicListTypeRefV1 = Type.Object({
  code: Text(),
  name: Type.String(),
  colour: OneOf(COLOURS),
  severity: OneOf(SEVERITIES),
});
export type PublicListTypeRefV1 = Static<typeof PublicListTypeRefV1>;

export const PublicDepartmentRefV1 = Type.Object({
  code: Text(),
  name: Type.String(),
});
export type PublicDepartmentRefV1 = Static<typeof PublicDepartmentRefV1>;

export const PublicSubjectV1 = Type.Object({
  kind: OneOf(SUBJECT_KINDS),
  /** the unified code; a person's ID number masked (`3301**********1234`) */
  id: Text(),
  /** an organisation's name; a person's masked (`张*`) */
  name: Type.String(),
  masked: Type.Boolean(),
});
export type PublicSubjectV1 = Static<typeof PublicSubjectV1>;

export const PublicPeriodV1 = Type.Object({
  from: Instant(),
  /** null (absent in older records) when `openEnded`: until the obligation is performed */
  to: Opt(Instant()),
  /** in force until the obligation is performed (至履行义务之日止, decision 0033) */
  openEnded: Opt(Type.Boolean()),
});
export type PublicPeriodV1 = Static<typeof PublicPeriodV1>;

/** An entry is on public display (公示), or a corrected revision of it replaces the one withdrawn. */
export const PublicationPublishedV1 = Type.Object({
  entryId: Uuid(),
  /** 1 at first; +1 for each corrected record published after a withdrawal `corrected` */
  revision: Type.Integer({ minimum: 1 }),
  listType: PublicListTypeRefV1,
  ownerDept: PublicDepartmentRefV1,
  subject: PublicSubjectV1,
  decision: DecisionRefV1,
  period: PublicPeriodV1,
  publishedAt: Instant(),
});
export type PublicationPublishedV1 = Static<typeof PublicationPublishedV1>;

/** 终止公示: the entry is no longer on public display; a mirror removes it. */
export const PublicationWithdrawnV1 = Type.Object({
  entryId: Uuid(),
  /** the revision withdrawn */
  revision: Type.Integer({ minimum: 1 }),
  listType: PublicListTypeRefV1,
  ownerDept: PublicDepartmentRefV1,
  subject: PublicSubjectV1,
  reason: OneOf(WITHDRAWAL_REASONS),
  withdrawnAt: Instant(),
});
export type PublicationWithdrawnV1 = Static<typeof PublicationWithdrawnV1>;
