import { Inject, Injectable } from '@nestjs/common';
import { DepartmentDirectory } from '@credit/auth';
import { ServiceMessaging } from '@credit/messaging';
import { REGISTRY_MESSAGING } from '../registry.tokens';
import { RegisterDepartmentDto } from './department.dto';
import { DepartmentRepository, toDepartmentView } from './department.repository';

/** 部门: an admin registers a department; 409 when its code is taken. */
@Injectable()
export class RegisterDepartmentUseCase {
  constructor(
    private readonly repository: DepartmentRepository,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly departments: DepartmentDirectory,
  ) {}

  async execute(body: RegisterDepartmentDto) {
    // the department and its announcement (tracking's statistics by region) commit together
    const department = await this.repository.register(body);
    this.messaging.relay.wake();
    // this process accepts the department's tokens at once; the other services as their consumers apply it
    this.departments.learn(department.code, department.supervising);
    return toDepartmentView(department);
  }
}
