import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * Readiness's "is the database there?" on a connection of its own. Asked through the pool it waited
 * behind the consumers working off a backlog after a restart (every connection busy: ready 5–19 s late,
 * decision 0059), which says nothing about the database. One client, connected at the first probe, and
 * dropped after a failure so that the next probe connects again. The embedded database (one in-process
 * connection, no pool to wait for) is asked through the data source.
 */
export class DatabaseProbe {
  private client?: Promise<Client>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly url: string | undefined,
    private readonly applicationName = 'readiness',
  ) {}

  async check(): Promise<void> {
    if (!this.url) {
      await this.dataSource.query('SELECT 1');
      return;
    }
    const client = (this.client ??= this.connect(this.url));
    try {
      await (await client).query('SELECT 1');
    } catch (err) {
      if (this.client === client) this.client = undefined;
      client.then((c) => c.end()).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.then((c) => c.end()).catch(() => undefined);
  }

  private async connect(url: string): Promise<Client> {
    const client = new Client({ connectionString: url, application_name: this.applicationName });
    // an idle connection the server or a proxy drops surfaces here, not as an uncaught error
    client.on('error', () => {
      this.client = undefined;
    });
    await client.connect();
    return client;
  }
}
