import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DepartmentDirectory, Roles } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { PageQueryDto } from '@credit/platform';
import { REGISTRY_MESSAGING } from '../registry.tokens';
import { RegisterDepartmentDto } from './department.dto';
import { DepartmentRepository, toDepartmentView } from './department.repository';

@ApiTags('departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class DepartmentsController {
  constructor(
    private readonly repository: DepartmentRepository,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly departments: DepartmentDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  async register(@Body() body: RegisterDepartmentDto) {
    // the department and its announcement (tracking's statistics by region) commit together
    const department = await this.repository.register(body);
    this.messaging.relay.wake();
    // this process accepts the department's tokens at once; the other services as their consumers apply it
    this.departments.learn(department.code, department.supervising);
    return toDepartmentView(department);
  }

  @Get()
  @Roles('admin', 'supervisor', 'initiator', 'implementer', 'system')
  list(@Query() query: PageQueryDto) {
    return this.repository.page(query);
  }
}
