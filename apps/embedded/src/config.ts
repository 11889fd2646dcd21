import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { parseBoolean, ServiceConfig } from '@credit/platform';

/**
 * The embedded mode's own settings. The services' settings (LIST_ENTRY_EXPIRY_INTERVAL_MS, TRACKING_*,
 * DELIVERY_* …) are read with each service's own schema; DATABASE_URL, KAFKA_* and REDIS_URL are never
 * read: this mode uses no PostgreSQL server, broker or Redis.
 */
export class EmbeddedConfig extends ServiceConfig {
  override PORT = 3000;

  /** Loopback only unless told otherwise: a demo or development platform is not for the network. */
  override HOST = '127.0.0.1';

  /** Where the database lives (created on first start; kept across starts). */
  @IsString()
  @MinLength(1)
  EMBEDDED_DATA_DIR = '.data/embedded';

  /**
   * Where the database engine runs: `worker`, a thread of its own beside the HTTP server and the bus (its
   * statements no longer stop them, decision 0089); `main`, the process's one thread.
   */
  @IsIn(['worker', 'main'])
  EMBEDDED_DATABASE_THREAD: 'worker' | 'main' = 'worker';

  /** Where the logs go (JSON lines); `-` for standard output. */
  @IsString()
  @MinLength(1)
  EMBEDDED_LOG_FILE = '.data/logs/embedded.log';

  /** Load the demo catalog and a few entries on first start (an empty database). */
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean()
  EMBEDDED_DEMO = true;

  /** Partitions of each in-process topic: how many subjects' events a consumer handles in parallel. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  EMBEDDED_PARTITIONS = 2;
}
