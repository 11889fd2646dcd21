import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CloudEvent, DepartmentRegisteredV1, EventTypes, Topics } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';

/**
 * Each department's region, as the registry announces it: a supervisor with a region claim reads the
 * check log of its region's departments only (decision 0020). Never read from the registry's tables.
 */
@Injectable()
export class DepartmentRegionsHandlers implements OnModuleInit {
  constructor(@Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.department-regions',
      topics: [Topics.departments],
      handlers: {
        [EventTypes.departmentRegistered]: async (event: CloudEvent<DepartmentRegisteredV1>, { manager }) => {
          await manager.query(
            `INSERT INTO enforcement.department_regions (dept, region) VALUES ($1, $2)
             ON CONFLICT (dept) DO UPDATE SET region = EXCLUDED.region`,
            [event.data.code, event.data.region],
          );
        },
      },
    });
  }
}

/** SQL condition: `column` names a department of `region` (the parameter placeholder given). */
export function deptInRegion(column: string, placeholder: string): string {
  return `${column} IN (SELECT dept FROM enforcement.department_regions WHERE region = ${placeholder})`;
}
