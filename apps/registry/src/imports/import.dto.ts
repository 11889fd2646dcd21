import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MinLength, IsOptional } from 'class-validator';
import { ImportMode } from './import-row-validator';

export class ImportListEntriesQuery {
  @ApiProperty({ example: 'COURT_DEFAULTER' })
  @IsString()
  @MinLength(1)
  listType!: string;

  @ApiProperty({
    enum: ['draft', 'publish'],
    description: 'store drafts, or publish every valid row at once',
  })
  @IsIn(['draft', 'publish'])
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
