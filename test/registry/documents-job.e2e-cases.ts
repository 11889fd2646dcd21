import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { IssueDocumentsJob } from '../../apps/registry/src/documents/issue-documents.job';
import { REGISTRY_DB, REGISTRY_MESSAGING } from '../../apps/registry/src/registry.tokens';
import { ServiceMessaging } from '@credit/messaging';
import { ROOT_LOGGER } from '@credit/platform';
import { startRegistry, RegistryUnderTest } from '../support/registry-app';
import { DECISION, entry, seedRegistry, Tokens, tokensFor, uscc } from './registry-fixtures';

/**
 * The documents job (decision 0026) stopping in the middle of a pass: what it claimed but did not store
 * is given back at once, not held for the 5-minute lease (decision 0034), so a restart serves it.
 */
describe('the documents job, stopped mid-pass', () => {
  let registry: RegistryUnderTest;
  let tokens: Tokens;
  let pg: Client;

  beforeAll(async () => {
    registry = await startRegistry();
    tokens = await tokensFor(registry);
    await seedRegistry(registry, tokens);
    pg = new Client({ connectionString: registry.databaseUrl });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await registry?.close();
  });

  it('gives back the claims it did not store, and a new pass serves them', async () => {
    const id = await entry(
      registry,
      tokens.court,
      {
        listType: 'COURT_DEFAULTER',
        subject: { kind: 'legal_person', id: uscc('D0CJ0B01'), name: '某公司' },
        decision: DECISION,
      },
      ['notice', 'publish'],
    );
    // the application's own job is stopped: the test drives passes of its own
    await registry.app.get(IssueDocumentsJob).beforeApplicationShutdown();
    const documentId = randomUUID();
    await pg.query(
      `INSERT INTO registry.documents (id, entry_id, kind, owner_dept, title, status, requested_at)
       VALUES ($1, $2, 'listing_decision', 'COURT', '列入名单决定书', 'pending', now())`,
      [documentId, id],
    );
    const job = () =>
      new IssueDocumentsJob(
        registry.app.get<DataSource>(REGISTRY_DB),
        registry.app.get<ServiceMessaging>(REGISTRY_MESSAGING),
        0,
        registry.app.get<Logger>(ROOT_LOGGER),
      );

    const stopping = job();
    const pass = stopping.issuePending(); // claims the document …
    const stopped = stopping.beforeApplicationShutdown(); // … and is told to stop before rendering it
    expect(await pass).toBe(0);
    await stopped;
    const [left] = (
      await pg.query(`SELECT status, claimed_until FROM registry.documents WHERE id = $1`, [documentId])
    ).rows as { status: string; claimed_until: Date | null }[];
    expect(left).toEqual({ status: 'pending', claimed_until: null });

    expect(await job().issuePending()).toBeGreaterThanOrEqual(1);
    const [served] = (
      await pg.query(`SELECT status, size FROM registry.documents WHERE id = $1`, [documentId])
    ).rows as { status: string; size: number }[];
    expect(served.status).toBe('issued');
    expect(served.size).toBeGreaterThan(0);
  });
});
