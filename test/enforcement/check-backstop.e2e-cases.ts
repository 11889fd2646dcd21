import { ActiveMeasures } from '../../apps/enforcement/src/checks/active-measures';
import { DECISION, entry, uscc } from '../registry/registry-fixtures';
import { waitFor } from '../support/infra';
import { banPlatform } from '../support/ban-platform';

/**
 * The complete index's backstop: a pass reads nothing when no binding row was written since the index was
 * read, and still catches a change that was never announced (written behind the service's back, as by a
 * replica that died between its commit and its announcement).
 */
describe('the check index backstop', () => {
  const s = banPlatform();

  /** A court defaulter published through registry, until the check answers block from memory. */
  const listedAndBlocked = async (id: string, message = 'block') => {
    const active = s.platform.app.enforcement.get(ActiveMeasures);
    await entry(
      { url: s.platform.url.registry },
      s.t.court,
      { listType: 'COURT_DEFAULTER', subject: { kind: 'legal_person', id, name: 'x' }, decision: DECISION },
      ['notice', 'publish'],
    );
    // answered from the index, not from PostgreSQL while the announced identifiers are read again
    await waitFor(async () => (await s.decision(id)) === 'block' && active.known(id) !== undefined, {
      message,
    });
  };

  it('skips the re-read while nothing changed, and reads again after an unannounced change', async () => {
    const active = s.platform.app.enforcement.get(ActiveMeasures);
    await waitFor(() => active.complete, { message: 'the binding set is held in memory' });
    const id = uscc('BACKUPT1');
    await listedAndBlocked(id);

    // the announced issue changed the set since the index was read: the next pass reads it again
    const skipped = active.unchangedBackstops;
    await active.backstop();
    expect(active.unchangedBackstops).toBe(skipped);
    // nothing written since: a pass reads nothing (the pass after one that marked rows itself, at most)
    for (let pass = 0; pass < 3 && active.unchangedBackstops === skipped; pass += 1) await active.backstop();
    expect(active.unchangedBackstops).toBe(skipped + 1);
    expect(await s.decision(id)).toBe('block');

    // lifted behind the service's back: no announcement, so memory still says block until a pass
    const lifted = await s.db.query(
      `UPDATE enforcement.assignments SET status = 'lifted', lifted_at = now() WHERE target_id = $1`,
      [id],
    );
    expect(lifted.rowCount).toBeGreaterThan(0);
    expect(await s.decision(id)).toBe('block');
    await active.backstop();
    expect(await s.decision(id)).toBe('allow');
  });

  it('re-reads only what changed behind its back, keeping every other row as it held it', async () => {
    const active = s.platform.app.enforcement.get(ActiveMeasures);
    const [kept, changed] = [uscc('BACKUPT2'), uscc('BACKUPT3')];
    for (const id of [kept, changed]) await listedAndBlocked(id, `${id} blocked`);
    await active.backstop(); // the announced issues are read; from here the index is what it read

    // behind the service's back: one row's measure now warns instead of blocking, an end moves forward,
    // and the previous test's lifted row binds again
    await s.db.query(
      `UPDATE enforcement.assignments SET measure = jsonb_set(measure::jsonb, '{mode}', '"warn"')
       WHERE target_id = $1`,
      [changed],
    );
    await s.db.query(
      `UPDATE enforcement.assignments SET status = 'issued', lifted_at = NULL WHERE target_id = $1`,
      [uscc('BACKUPT1')],
    );
    expect(await s.decision(changed)).toBe('block');
    expect(await s.decision(uscc('BACKUPT1'))).toBe('allow');
    await active.backstop();
    expect(await s.decision(changed)).toBe('warn');
    expect(await s.decision(uscc('BACKUPT1'))).toBe('block');
    expect(await s.decision(kept)).toBe('block');
  });

  it('catches a row lifted behind its back before any pass read it (announced, reloaded, then lifted)', async () => {
    const active = s.platform.app.enforcement.get(ActiveMeasures);
    const id = uscc('BACKUPT4');
    await listedAndBlocked(id);
    await s.db.query(
      `UPDATE enforcement.assignments SET status = 'lifted', lifted_at = now() WHERE target_id = $1`,
      [id],
    );
    expect(await s.decision(id)).toBe('block');
    await active.backstop();
    expect(await s.decision(id)).toBe('allow');
    // nothing written since that pass began: the next one reads nothing
    const skipped = active.unchangedBackstops;
    await active.backstop();
    await active.backstop();
    expect(active.unchangedBackstops).toBeGreaterThan(skipped);
  });
});
