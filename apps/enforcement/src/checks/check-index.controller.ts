import { Controller, Get, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@credit/auth';
import { HealthRegistry } from '@credit/platform';
import { ActiveMeasures, WHOLE } from './active-measures';

/** What a replica tells the gateway about its part of the check's index (decision 0058). */
export interface CheckIndexState {
  /** 'split': partitions of the assignments topic; 'whole': every subject (one replica, or not split) */
  mode: 'split' | 'whole';
  /** the topic's partition count (split only) */
  partitions?: number;
  /** partitions read whole: their subjects are answered from memory */
  held: number[];
  /** partitions the Kafka group gives this replica now, read or not */
  assigned: number[];
  /** every partition first owned was read (readiness in the split mode) */
  loaded: boolean;
  /** every partition owned now is read */
  complete: boolean;
  rows: number;
}

/**
 * `GET /health/check-index`: which partitions this replica answers from memory, for the gateway that
 * routes each check to the replica holding its subject (decision 0058). Not an API route (no /v1): served
 * without a token like the other health routes, and not in the OpenAPI document.
 */
@ApiExcludeController()
@Controller('health')
export class CheckIndexController {
  constructor(private readonly active: ActiveMeasures) {}

  @Public()
  @Get('check-index')
  state(): CheckIndexState {
    const held = this.active.heldPartitions;
    const assigned = this.active.assignedPartitions;
    const split = assigned !== undefined && assigned !== WHOLE;
    return {
      mode: split ? 'split' : 'whole',
      ...(split ? { partitions: assigned.partitions } : {}),
      held: held && held !== WHOLE ? [...held.owned].sort((a, b) => a - b) : [],
      assigned: split ? [...assigned.owned].sort((a, b) => a - b) : [],
      loaded: this.active.loaded,
      complete: this.active.complete,
      rows: this.active.rowsHeld,
    };
  }
}

/**
 * In the split mode a replica is not ready until it has read every partition the group first gave it
 * (issue 19: "a replica that starts answers only once its partitions are loaded"); a later rebalance does
 * not take readiness away (PostgreSQL answers the partitions given until they are read).
 */
@Injectable()
export class CheckIndexReadiness implements OnModuleInit {
  constructor(
    private readonly active: ActiveMeasures,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('enforcement.check-index', async () => {
      if (!this.active.loaded) throw new Error('the partitions of the check index are being read');
    });
  }
}
