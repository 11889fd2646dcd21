import { Static, Type } from '@sinclair/typebox';
import { CHECK_DECISIONS, CHECK_STAGES, CheckStage, ENFORCEMENT_MODES } from '@credit/contracts';

/**
 * `POST /v1/checks`: the body and the answer, once, as JSON Schemas (TypeBox). Fastify compiles the body's
 * with ajv (check-body.ts) and the answer's into its serializer; the OpenAPI document shows these same
 * objects; the TypeScript types below come from them.
 */
export const CheckSubjectSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'unified code, ID number, or a legacy code',
      example: '91330106MA2H7QK4XQ',
    }),
  },
  { additionalProperties: false },
);

export const CheckBodySchema = Type.Object(
  {
    subject: CheckSubjectSchema,
    action: Type.String({ pattern: '^[a-z0-9_]{2,64}$', example: 'government_procurement_bid' }),
    // an enum rather than a union of literals: OpenAPI 3.0 has no `const`
    stage: Type.Optional(
      Type.Unsafe<CheckStage>({
        type: 'string',
        enum: [...CHECK_STAGES],
        description: '受理 / 审批 / 办结: the stage of the application',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CheckBody = Static<typeof CheckBodySchema>;

export const CheckReasonSchema = Type.Object({
  entryId: Type.String(),
  listType: Type.String(),
  measureCode: Type.String(),
  dept: Type.String(),
  legalBasis: Type.String(),
  until: Type.Optional(Type.String()),
  mode: Type.String({ enum: [...ENFORCEMENT_MODES] }),
  measure: Type.String(),
  as: Type.Optional(Type.String()),
});

export const CheckAnswerSchema = Type.Object({
  checkId: Type.String({ format: 'uuid' }),
  subject: Type.Object({ id: Type.String() }),
  action: Type.String(),
  stage: Type.Optional(Type.String({ enum: [...CHECK_STAGES] })),
  decision: Type.String({ enum: [...CHECK_DECISIONS] }),
  reasons: Type.Array(CheckReasonSchema),
  checkedAt: Type.String({ format: 'date-time' }),
});
export type CheckAnswer = Static<typeof CheckAnswerSchema>;
