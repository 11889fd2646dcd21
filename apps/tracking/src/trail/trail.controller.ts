import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { EventTypes } from '@credit/contracts';
import { forbidden, notFound, uuidParam } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';
import { GENESIS_HASH, trailHash } from './trail-hash';
import { TrailRecord } from './trail-record.entity';

const uuid = uuidParam('id');

@ApiTags('trail')
@ApiBearerAuth()
@Controller('v1/list-entries')
export class TrailController {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  /** Every event about the entry, across services, in the order tracking chained them. */
  @Get(':id/trail')
  @Roles('supervisor', 'initiator')
  async trail(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const records = await this.load(id);
    this.assertMayRead(principal, records);
    return {
      entryId: id,
      items: records.map((r) => ({
        seq: Number(r.seq),
        eventId: r.eventId,
        type: r.type,
        time: r.time.toISOString(),
        actorDept: r.actorDept,
        data: r.data,
        hash: r.hash,
        prevHash: r.prevHash,
        recordedAt: r.recordedAt.toISOString(),
      })),
      nextCursor: null,
    };
  }

  /** Recomputes the hash chain; names the first record whose content or link no longer matches. */
  @Get(':id/trail/verify')
  @Roles('supervisor')
  async verify(@Param('id', uuid) id: string) {
    const records = await this.load(id);
    let previous = GENESIS_HASH;
    for (const r of records) {
      const expected = trailHash(previous, {
        eventId: r.eventId,
        type: r.type,
        time: r.time.toISOString(),
        actorDept: r.actorDept,
        data: r.data,
      });
      if (r.prevHash !== previous || r.hash !== expected) {
        return {
          entryId: id,
          valid: false,
          records: records.length,
          firstBroken: { seq: Number(r.seq), eventId: r.eventId, type: r.type },
          reason:
            r.prevHash !== previous
              ? 'link to the previous record does not match'
              : 'content does not match its hash',
        };
      }
      previous = r.hash;
    }
    return { entryId: id, valid: true, records: records.length, firstBroken: null };
  }

  private async load(id: string): Promise<TrailRecord[]> {
    const records = await this.db
      .getRepository(TrailRecord)
      .find({ where: { entryId: id }, order: { seq: 'ASC' } });
    if (records.length === 0) throw notFound('TRAIL.NOT_FOUND', `no trail for list entry ${id}`);
    return records;
  }

  /** An initiator reads only the trails of its own department's entries. */
  private assertMayRead(principal: Principal, records: TrailRecord[]): void {
    if (principal.roles.includes('supervisor')) return;
    const published = records.find((r) => r.type === EventTypes.listEntryPublished);
    if (published?.data.ownerDept !== principal.dept) {
      throw forbidden('LIST_ENTRY.NOT_OWNER', 'only the owning department and supervisors read this trail');
    }
  }
}
