import { Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ACCESS_RECORDER, AccessRecorder } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { ENFORCEMENT_DB } from '../enforcement.tokens';
import { insertAccessRecords } from './access-log.store';

/** Enforcement owns the access log: its own reads are written to it directly, batched. */
export const enforcementAccessRecorder: Provider = {
  provide: ACCESS_RECORDER,
  inject: [ENFORCEMENT_DB, ROOT_LOGGER],
  useFactory: (db: DataSource, logger: Logger) =>
    new AccessRecorder({
      service: 'enforcement',
      logger: logger.child({ service: 'enforcement', component: 'access-recorder' }),
      write: (records) => insertAccessRecords(db, 'enforcement', records),
    }),
};
