import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@credit/auth';
import { PageQueryDto } from '@credit/platform';
import { RegisterDepartmentDto } from './department.dto';
import { DepartmentRepository } from './department.repository';
import { RegisterDepartmentUseCase } from './register-department.usecase';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class DepartmentsController {
  constructor(
    private readonly repository: DepartmentRepository,
    private readonly registerDepartment: RegisterDepartmentUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  register(@Body() body: RegisterDepartmentDto) {
    return this.registerDepartment.execute(body);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  list(@Query() query: PageQueryDto) {
    return this.repository.page(query);
  }
}
