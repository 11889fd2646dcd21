import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PublicationFeedQueryDto {
  @ApiPropertyOptional({
    description: "nextCursor of the previous page; without it, after the platform's acknowledged position",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 500, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AcknowledgeFeedDto {
  @ApiProperty({ description: 'every change up to this position is mirrored', example: 1200 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position!: number;
}

export class UnacknowledgedQueryDto {
  @ApiPropertyOptional({ description: 'one external platform (department code)' })
  @IsOptional()
  @Matches(/^[A-Z0-9_-]{2,32}$/, { message: 'dept must be a department code' })
  dept?: string;

  @ApiPropertyOptional({ description: 'grace period in seconds (default PUBLICATION_ACK_GRACE_MS)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  graceSeconds?: number;

  @ApiPropertyOptional({ default: 500, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class FeedChangesQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page (newest first)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['published', 'withdrawn'] })
  @IsOptional()
  @IsIn(['published', 'withdrawn'])
  kind?: 'published' | 'withdrawn';

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
