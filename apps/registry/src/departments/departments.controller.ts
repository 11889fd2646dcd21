import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@credit/auth';
import { conflict } from '@credit/platform';
import { REGISTRY_DB } from '../registry.tokens';
import { Department } from './department.entity';
import { RegisterDepartmentDto } from './department.dto';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class DepartmentsController {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async register(@Body() body: RegisterDepartmentDto) {
    const repo = this.db.getRepository(Department);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ code: body.code, name: body.name, region: body.region })
      .orIgnore()
      .returning('*')
      .execute();
    if (inserted.raw.length === 0) {
      throw conflict('DEPARTMENT.ALREADY_EXISTS', `department ${body.code} is already registered`);
    }
    return toView(await repo.findOneByOrFail({ code: body.code }));
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  async list() {
    const items = await this.db.getRepository(Department).find({ order: { code: 'ASC' } });
    return { items: items.map(toView), nextCursor: null };
  }
}

function toView(d: Department) {
  return { code: d.code, name: d.name, region: d.region, createdAt: d.createdAt.toISOString() };
}
