import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AccessRecordedV1, CloudEvent, EventTypes, Topics } from '@credit/contracts';
import { ServiceMessaging, storableRecord } from '@credit/messaging';
import { ENFORCEMENT_MESSAGING } from '../enforcement.tokens';
import { insertAccessRecords } from './access-log.store';

/** Reads recorded by the other services (topic `credit.access`) go into the access log. */
@Injectable()
export class AccessLogHandlers implements OnModuleInit {
  constructor(@Inject(ENFORCEMENT_MESSAGING) private readonly messaging: ServiceMessaging) {}

  onModuleInit(): void {
    this.messaging.consume({
      name: 'enforcement.access-log',
      topics: [Topics.access],
      handlers: {
        [EventTypes.accessRecorded]: async (event: CloudEvent<AccessRecordedV1>, { manager }) => {
          // written storable whatever a producer sent: one odd value never makes the event a dead letter
          const records = event.data.records.map(storableRecord);
          await insertAccessRecords(manager, event.data.service, records);
        },
      },
    });
  }
}
