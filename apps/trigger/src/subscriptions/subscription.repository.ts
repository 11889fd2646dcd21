import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@credit/auth';
import { Measure } from '../memoranda/measure.entity';
import { TRIGGER_DB } from '../trigger.tokens';
import { Subscription } from './subscription.entity';

/** 订阅: the SQL behind the subscription routes. */
@Injectable()
export class SubscriptionRepository {
  constructor(@Inject(TRIGGER_DB) private readonly db: DataSource) {}

  /** Supervisors and admins read every department's subscriptions, others their department's. */
  readableBy(principal: Principal): Promise<Subscription[]> {
    const all = principal.roles.includes('supervisor') || principal.roles.includes('admin');
    return this.db
      .getRepository(Subscription)
      .find({ where: all ? {} : { dept: principal.dept }, order: { dept: 'ASC', measureCode: 'ASC' } });
  }

  /** The measure in force with this code, if any. */
  measureInForce(code: string): Promise<Measure | null> {
    return this.db.getRepository(Measure).findOneBy({ code, current: true });
  }

  /** Creates or replaces the department's subscription to a measure. */
  save(subscription: Subscription): Promise<Subscription> {
    return this.db.getRepository(Subscription).save(subscription);
  }

  /** Whether the department had a subscription to the measure (now removed). */
  async remove(dept: string, measureCode: string): Promise<boolean> {
    const result = await this.db.getRepository(Subscription).delete({ dept, measureCode });
    return !!result.affected;
  }
}
