import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { COLOURS, Colour, SEVERITIES, Severity, SUBJECT_KINDS, SubjectKind } from './domain';
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

export class PublicListTypeRefV1 {
  @IsString() @MinLength(1) code!: string;
  @IsString() name!: string;
  @IsIn(COLOURS) colour!: Colour;
  @IsIn(SEVERITIES) severity!: Severity;
}

export class PublicDepartmentRefV1 {
  @IsString() @MinLength(1) code!: string;
  @IsString() name!: string;
}

export class PublicSubjectV1 {
  @IsIn(SUBJECT_KINDS) kind!: SubjectKind;
  /** the unified code; a person's ID number masked (`3301**********1234`) */
  @IsString() @MinLength(1) id!: string;
  /** an organisation's name; a person's masked (`张*`) */
  @IsString() name!: string;
  @IsBoolean() masked!: boolean;
}

export class PublicPeriodV1 {
  @IsISO8601() from!: string;
  /** null (absent in older records) when `openEnded`: until the obligation is performed */
  @IsOptional() @IsISO8601() to?: string | null;
  /** in force until the obligation is performed (至履行义务之日止, decision 0033) */
  @IsOptional() @IsBoolean() openEnded?: boolean;
}

/** An entry is on public display (公示), or a corrected revision of it replaces the one withdrawn. */
export class PublicationPublishedV1 {
  @IsUUID() entryId!: string;
  /** 1 at first; +1 for each corrected record published after a withdrawal `corrected` */
  @IsInt() @Min(1) revision!: number;
  @IsObject() @ValidateNested() @Type(() => PublicListTypeRefV1) listType!: PublicListTypeRefV1;
  @IsObject() @ValidateNested() @Type(() => PublicDepartmentRefV1) ownerDept!: PublicDepartmentRefV1;
  @IsObject() @ValidateNested() @Type(() => PublicSubjectV1) subject!: PublicSubjectV1;
  @IsObject() @ValidateNested() @Type(() => DecisionRefV1) decision!: DecisionRefV1;
  @IsObject() @ValidateNested() @Type(() => PublicPeriodV1) period!: PublicPeriodV1;
  @IsISO8601() publishedAt!: string;
}

/** 终止公示: the entry is no longer on public display; a mirror removes it. */
export class PublicationWithdrawnV1 {
  @IsUUID() entryId!: string;
  /** the revision withdrawn */
  @IsInt() @Min(1) revision!: number;
  @IsObject() @ValidateNested() @Type(() => PublicListTypeRefV1) listType!: PublicListTypeRefV1;
  @IsObject() @ValidateNested() @Type(() => PublicDepartmentRefV1) ownerDept!: PublicDepartmentRefV1;
  @IsObject() @ValidateNested() @Type(() => PublicSubjectV1) subject!: PublicSubjectV1;
  @IsIn(WITHDRAWAL_REASONS) reason!: WithdrawalReason;
  @IsISO8601() withdrawnAt!: string;
}
