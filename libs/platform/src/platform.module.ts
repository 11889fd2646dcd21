import { Controller, DynamicModule, Get, Global, Module, Res } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthGuard, AuthOptions, DepartmentDirectory, Public, TokenVerifier } from '@credit/auth';
import { loadBundledCalendar, WorkingCalendar } from '@credit/calendar';
import type { Logger as Pino } from 'pino';
import { HealthRegistry } from './health';
import { ROOT_LOGGER } from './logger';
import { metricsRegistry } from './metrics';
import { ConstraintErrors, ProblemDetailsFilter } from './problem-details';
import { QuotaInterceptor, QuotaOptions, Quotas, RedisQuotaStore } from './quota';

@ApiExcludeController()
@Controller()
class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('health/ready')
  async ready(@Res() reply: FastifyReply) {
    const report = await this.health.report();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  @Public()
  @Get('metrics')
  async metrics(@Res() reply: FastifyReply) {
    void reply.header('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}

export interface PlatformOptions {
  auth: AuthOptions;
  logger: Pino;
  /** The working-day calendar every deadline uses; the bundled 2025–2027 data when not given. */
  calendar?: WorkingCalendar;
  /** Quotas (`@Quota`, the check); counted in the process unless a Redis URL shares them across replicas. */
  quotas: { options: QuotaOptions; redisUrl?: string };
}

/**
 * What every process serves whatever services it hosts: auth on every route, problem details,
 * health, metrics. Imported once per process (a service alone, or the embedded platform).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const verifier = new TokenVerifier(options.auth);
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        HealthRegistry,
        { provide: ROOT_LOGGER, useValue: options.logger },
        {
          provide: WorkingCalendar,
          useValue:
            options.calendar ??
            loadBundledCalendar(undefined, {
              onMissingYear: (year) =>
                options.logger.warn({ year }, 'no holiday data for this year: deadlines count weekends only'),
            }),
        },
        { provide: TokenVerifier, useValue: verifier },
        // the registered departments every token's dept is looked up in (each service fills it)
        { provide: DepartmentDirectory, useValue: verifier.departments },
        { provide: APP_GUARD, useClass: AuthGuard },
        // the services' constraint tables, each loaded by its module (decision 0053)
        ConstraintErrors,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        {
          provide: Quotas,
          useFactory: () =>
            new Quotas(
              options.quotas.options,
              options.logger.child({ component: 'quotas' }),
              options.quotas.redisUrl ? new RedisQuotaStore(options.quotas.redisUrl) : undefined,
            ),
        },
        { provide: APP_INTERCEPTOR, useClass: QuotaInterceptor },
      ],
      exports: [
        HealthRegistry,
        ROOT_LOGGER,
        WorkingCalendar,
        TokenVerifier,
        DepartmentDirectory,
        Quotas,
        ConstraintErrors,
      ],
    };
  }
}
