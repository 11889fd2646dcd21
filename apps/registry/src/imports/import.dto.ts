import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MinLength, IsOptional } from 'class-validator';
import { IMPORT_MODES, ImportMode } from './import-row-validator';

export class ImportListEntriesQuery {
  @ApiProperty({ example: 'COURT_DEFAULTER' })
  @IsString()
  @MinLength(1)
  listType!: string;

  @ApiProperty({
    enum: IMPORT_MODES,
    description:
      'store drafts; notice every valid row now (告知, the statement period starts); or publish every valid row at once (each row must say when and how its subject was told: noticedAt, noticeChannel)',
  })
  @IsIn(IMPORT_MODES)
  mode!: ImportMode;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'an id the client chooses for the import, so that it can poll GET /v1/list-entries/imports/{importId} while the upload runs',
  })
  @IsOptional()
  @IsUUID()
  importId?: string;
}
