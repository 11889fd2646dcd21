import { PageQueryDto } from '@credit/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { DELIVERY_STATUSES, DeliveryStatus } from './delivery.entity';

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  assignmentId?: string;

  @ApiPropertyOptional({ description: 'supervisors only: one department' })
  @IsOptional()
  @IsString()
  dept?: string;
}

export class StreamQueryDto {
  @ApiPropertyOptional({ description: 'resume after this event id (same as the Last-Event-ID header)' })
  @IsOptional()
  @IsString()
  lastEventId?: string;
}
