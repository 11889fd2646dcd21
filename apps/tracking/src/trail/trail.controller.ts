import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@credit/auth';
import { uuidParam } from '@credit/platform';
import { RecordsAccess } from '@credit/messaging';
import { TrailQueries } from './trail.queries';

const uuid = uuidParam('id');

/** The trail of one entry and the proof that it was not altered (decision 0011). */
@ApiTags('trail')
@ApiBearerAuth()
@Controller('v1/list-entries')
export class TrailController {
  constructor(private readonly trails: TrailQueries) {}

  /**
   * Every event about the entry, across services, in the canonical order: by the event's time, causes
   * before effects at the same time, then event id. Sealed records come in their chain's order with
   * their position and hash; records not sealed yet follow, without a hash.
   */
  @RecordsAccess() // who read which subjects goes to the access log
  @Get(':id/trail')
  @Roles('supervisor', 'initiator')
  trail(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.trails.trail(principal, id);
  }

  /** Recomputes the sealed chain; names the first seal whose record, link or content no longer matches. */
  @Get(':id/trail/verify')
  @Roles('supervisor')
  verify(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.trails.verify(principal, id);
  }
}
