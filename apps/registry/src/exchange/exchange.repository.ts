import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Department } from '../departments/department.entity';
import { ListType } from '../list-types/list-type.entity';
import { REGISTRY_DB } from '../registry.tokens';
import { OutboundItem, readOutbound, sequenceOutbound } from './exchange-outbound';
import {
  Agreement,
  insertAgreement,
  insertPartner,
  listAgreements,
  listPartners,
  Partner,
  regionRegistered,
  regionsOfDept,
  setPartnerActive,
} from './exchange.store';

/**
 * 区域联合奖惩 (decision 0035): what the exchange routes read and write — the outbound documents a partner
 * pulls, and the admin's registers of partner keys and agreements (the SQL itself is in exchange.store.ts
 * and exchange-outbound.ts, which the use cases share).
 */
@Injectable()
export class ExchangeRepository {
  constructor(@Inject(REGISTRY_DB) private readonly db: DataSource) {}

  /** The partner regions whose platform this department is (none: not a partner). */
  regionsOfDept(dept: string): Promise<string[]> {
    return regionsOfDept(this.db, dept);
  }

  /** Our documents for these regions after `after` (what committed a moment ago included), and the head. */
  async outbound(
    regions: string[],
    after: number,
    limit: number,
  ): Promise<{ items: OutboundItem[]; head: number }> {
    await sequenceOutbound(this.db);
    return readOutbound(this.db, regions, after, limit);
  }

  departmentExists(code: string): Promise<boolean> {
    return this.db.getRepository(Department).existsBy({ code });
  }

  listTypeExists(code: string): Promise<boolean> {
    return this.db.getRepository(ListType).existsBy({ code });
  }

  regionRegistered(region: string): Promise<boolean> {
    return regionRegistered(this.db, region);
  }

  /** The new partner key; undefined when the key id is taken. */
  insertPartner(p: Omit<Partner, 'registeredAt' | 'updatedAt'>, by: string, now: Date) {
    return insertPartner(this.db, p, by, now);
  }

  /** The partner key with its new state; undefined when no such key is registered. */
  setPartnerActive(keyId: string, active: boolean, now: Date) {
    return setPartnerActive(this.db, keyId, active, now);
  }

  partners(): Promise<Partner[]> {
    return listPartners(this.db);
  }

  insertAgreement(a: Omit<Agreement, 'createdAt'>, by: string, now: Date) {
    return insertAgreement(this.db, a, by, now);
  }

  agreements(): Promise<Agreement[]> {
    return listAgreements(this.db);
  }
}
