import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const REGION = /^\d{6}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A partner region's platform and one of its keys (a platform rotating keys registers the next one). */
export class RegisterPartnerDto {
  @ApiProperty({ description: 'the key id the partner names in its signatures', example: 'huzhou-2026-1' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  keyId!: string;

  @ApiProperty({ description: 'the partner region code (行政区划代码)', example: '330500' })
  @Matches(REGION, { message: 'region must be a six-digit region code' })
  region!: string;

  @ApiProperty({ example: '信用湖州' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  platform!: string;

  @ApiProperty({ description: "the registered department whose `system` tokens the partner's platform uses" })
  @IsString()
  @MinLength(1)
  dept!: string;

  @ApiProperty({ description: 'the Ed25519 public key, PEM (SPKI)' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  publicKey!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdatePartnerDto {
  @ApiProperty({ description: 'false: documents signed with this key are refused (EXCHANGE.UNKNOWN_KEY)' })
  @IsBoolean()
  active!: boolean;
}

/**
 * A recognition agreement. Inbound: the partner region's list type (its code) is recognised as ours, and
 * only `measures` (our measure codes) apply to its entries here. Outbound: our list type's publications
 * and withdrawals are sent to the partner region.
 */
export class CreateAgreementDto {
  @ApiProperty({ enum: ['inbound', 'outbound'] })
  @IsIn(['inbound', 'outbound'])
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ example: '330500' })
  @Matches(REGION, { message: 'partnerRegion must be a six-digit region code' })
  partnerRegion!: string;

  @ApiPropertyOptional({ description: "inbound: the partner's list type code" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  theirListType?: string;

  @ApiProperty({ description: 'our list type' })
  @IsString()
  @MinLength(1)
  ourListType!: string;

  @ApiPropertyOptional({
    description: 'inbound: our measure codes that apply to recognised entries',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  measures?: string[];

  @ApiProperty({ example: '2026-12-01', description: 'first day in effect (Beijing), inclusive' })
  @Matches(ISO_DAY, { message: 'effectiveFrom must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  effectiveFrom!: string;

  @ApiPropertyOptional({ example: '2027-11-30', description: 'last day in effect (Beijing), inclusive' })
  @IsOptional()
  @Matches(ISO_DAY, { message: 'effectiveTo must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  effectiveTo?: string;
}

export class OutboundQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous pull (none: from the start)' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
