import { DataSource } from 'typeorm';
import { WebhookSecretCipher } from './webhook-secret-cipher';

export interface ReencryptionReport {
  /** rows moved to the current key by this run */
  reencrypted: number;
  /** departments whose secret none of the configured keys opens: left as they are, named here */
  unreadable: string[];
  /** rows not under the current key when the run ended (the unreadable ones, or rows another run holds) */
  remaining: number;
}

/**
 * Moves every stored webhook secret to the current key (decision 0051): after a new WEBHOOK_SECRET_KEY
 * is deployed with the old one in WEBHOOK_SECRET_KEY_PREVIOUS, this re-encrypts the rows still under
 * the old key; then the old key can be dropped. Safe with several replicas or runs at once: each batch
 * takes its rows with FOR UPDATE SKIP LOCKED, and a row is written only if it still holds the value read
 * (a secret rotated meanwhile through the API is left as the rotation wrote it, under the current key).
 */
export class WebhookSecretReencryption {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: WebhookSecretCipher,
    private readonly schema = 'enforcement',
  ) {}

  async run(batchSize = 100): Promise<ReencryptionReport> {
    const unreadable: string[] = [];
    let reencrypted = 0;
    for (;;) {
      const moved = await this.db.transaction(async (manager) => {
        const rows: { dept: string; secret_encrypted: string }[] = await manager.query(
          `SELECT dept, secret_encrypted FROM ${this.schema}.webhook_secrets
           WHERE secret_encrypted NOT LIKE $1 AND NOT (dept = ANY($2::text[]))
           ORDER BY dept LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [this.cipher.currentPattern(), unreadable, batchSize],
        );
        let n = 0;
        for (const row of rows) {
          let plain: string;
          try {
            plain = this.cipher.decrypt(row.secret_encrypted);
          } catch {
            unreadable.push(row.dept);
            continue;
          }
          // a statement that answers rows (an UPDATE alone answers its rows and its count in TypeORM)
          const [{ updated }]: { updated: number }[] = await manager.query(
            `WITH moved AS (
               UPDATE ${this.schema}.webhook_secrets SET secret_encrypted = $3
               WHERE dept = $1 AND secret_encrypted = $2 RETURNING dept
             )
             SELECT count(*)::int AS updated FROM moved`,
            [row.dept, row.secret_encrypted, this.cipher.encrypt(plain)],
          );
          n += updated;
        }
        return { taken: rows.length, n };
      });
      reencrypted += moved.n;
      if (moved.taken === 0) break;
    }
    const [{ count }]: { count: string }[] = await this.db.query(
      `SELECT count(*)::text AS count FROM ${this.schema}.webhook_secrets WHERE secret_encrypted NOT LIKE $1`,
      [this.cipher.currentPattern()],
    );
    return { reencrypted, unreadable, remaining: Number(count) };
  }
}
