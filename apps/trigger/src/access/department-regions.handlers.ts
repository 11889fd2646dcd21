import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CloudEvent, DepartmentRegisteredV1, EventTypes, Topics } from '@credit/contracts';
import { ServiceMessaging } from '@credit/messaging';
import { TRIGGER_MESSAGING } from '../trigger.tokens';

/**
 * Each department's region, as the registry announces it: a supervisor with a region claim reads the
 * assignments of its region's departments' entries only (decision 0020).
 */
@Injectable()
export class DepartmentRegionsHandlers implements OnModuleInit {
  constructor(@Inject(TRIGGER_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'trigger.department-regions',
      topics: [Topics.departments],
      handlers: {
        [EventTypes.departmentRegistered]: async (event: CloudEvent<DepartmentRegisteredV1>, { manager }) => {
          await manager.query(
            `INSERT INTO trigger.department_regions (dept, region) VALUES ($1, $2)
             ON CONFLICT (dept) DO UPDATE SET region = EXCLUDED.region`,
            [event.data.code, event.data.region],
          );
        },
      },
    });
  }
}
