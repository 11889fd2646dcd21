import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DepartmentDirectory } from '@credit/auth';
import { DepartmentRegisteredV1, EventTypes, Topics } from '@credit/contracts';
import { createCloudEvent, ServiceMessaging } from '@credit/messaging';
import { DomainError } from '@credit/platform';
import { REGISTRY_DB, REGISTRY_MESSAGING, REGISTRY_SOURCE } from '../registry.tokens';
import { RegisterDepartmentDto } from './department.dto';
import { Department } from './department.entity';
import { DepartmentErrors } from './department.errors';
import { DepartmentRepository, toDepartmentView } from './department.repository';

/** 部门: an admin registers a department; 409 when its code is taken. */
@Injectable()
export class RegisterDepartmentUseCase {
  constructor(
    @Inject(REGISTRY_DB) private readonly db: DataSource,
    private readonly repository: DepartmentRepository,
    @Inject(REGISTRY_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly departments: DepartmentDirectory,
  ) {}

  async execute(body: RegisterDepartmentDto) {
    // the department and its announcement (tracking's statistics by region) commit together
    const department = await this.db.transaction(async (manager) => {
      const registered = await this.repository.insertIfNew(manager, body);
      if (!registered) {
        throw new DomainError({
          error: DepartmentErrors.ALREADY_EXISTS,
          detail: `department ${body.code} is already registered`,
        });
      }
      await this.messaging.outbox.add(manager, [departmentRegisteredMessage(registered)]);
      return registered;
    });
    // this process accepts the department's tokens at once; the other services as their consumers apply it
    this.departments.learn(department.code, department.supervising);
    return toDepartmentView(department);
  }
}

function departmentRegisteredMessage(registered: Department) {
  const data: DepartmentRegisteredV1 = {
    code: registered.code,
    name: registered.name,
    region: registered.region,
    at: registered.createdAt.toISOString(),
    supervising: registered.supervising,
  };
  return {
    topic: Topics.departments,
    key: registered.code,
    event: createCloudEvent({
      type: EventTypes.departmentRegistered,
      source: REGISTRY_SOURCE,
      subject: registered.code,
      data,
      time: registered.createdAt,
    }),
  };
}
