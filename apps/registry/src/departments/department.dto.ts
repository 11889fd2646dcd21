import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class RegisterDepartmentDto {
  @ApiProperty({ example: 'COURT', description: 'department code: upper case letters, digits, _ and -' })
  @Matches(/^[A-Z0-9_-]{2,32}$/, { message: 'code must be 2–32 of A–Z, 0–9, _ or -' })
  code!: string;

  @ApiProperty({ example: '杭州市中级人民法院' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '330100', description: '行政区划代码 (GB/T 2260), 6 digits' })
  @Matches(/^\d{6}$/, { message: 'region must be a 6-digit administrative division code' })
  region!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'supervises: its tokens may hold the supervisor and credit_office roles',
  })
  @IsOptional()
  @IsBoolean()
  supervising?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'an external platform (信用中国, the provincial platform): its system role pulls the publication feed',
  })
  @IsOptional()
  @IsBoolean()
  externalPlatform?: boolean;
}
