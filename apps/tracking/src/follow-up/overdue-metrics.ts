import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { OVERDUE_KINDS } from '@credit/contracts';
import { metricsRegistry } from '@credit/platform';
import { TRACKING_DB } from '../tracking.tokens';

const sources = new Set<DataSource>();

/** 逾期: assignments past a deadline, read from the projection when /metrics is scraped (alerts.yml). */
new Gauge({
  name: 'tracking_overdue_assignments',
  help: 'Assignments overdue now, by kind (acknowledgement or feedback deadline missed)',
  labelNames: ['kind'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const totals = new Map<string, number>();
    for (const db of sources) {
      if (!db.isInitialized) continue;
      const rows: { kind: string | null; n: string }[] = await db
        .query(
          // the rollup (decision 0056): a scrape never counts the overdue rows
          `SELECT kind, sum(n) AS n FROM (
             SELECT kind, n FROM tracking.overdue_counts
             UNION ALL SELECT kind, delta FROM tracking.overdue_count_changes) x
           GROUP BY kind`,
        )
        .catch(() => []);
      for (const r of rows)
        totals.set(r.kind || 'unknown', (totals.get(r.kind || 'unknown') ?? 0) + Number(r.n));
    }
    for (const kind of OVERDUE_KINDS) this.set({ kind }, totals.get(kind) ?? 0);
  },
});

@Injectable()
export class OverdueMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(TRACKING_DB) private readonly db: DataSource) {}

  onModuleInit(): void {
    sources.add(this.db);
  }

  onModuleDestroy(): void {
    sources.delete(this.db);
  }
}
