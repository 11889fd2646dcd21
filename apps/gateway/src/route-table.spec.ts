import owners from './route-owners.json';
import { ownersFromDocument, RouteTable } from './route-table';

describe('RouteTable', () => {
  const table = new RouteTable([
    { method: 'GET', path: '/v1/list-entries/{id}', service: 'registry' },
    { method: 'GET', path: '/v1/list-entries/imports/{id}', service: 'registry' },
    { method: 'GET', path: '/v1/list-entries/{id}/trail', service: 'tracking' },
    { method: 'POST', path: '/v1/assignments/ack', service: 'enforcement' },
    { method: 'GET', path: '/v1/assignments', service: 'trigger' },
    { method: 'POST', path: '/v1/assignments/{id}/ack', service: 'enforcement' },
    { method: 'GET', path: '/public/v1/entries', service: 'registry' },
  ]);

  it.each([
    ['GET', '/v1/list-entries/5f0c/trail', 'tracking'],
    ['GET', '/v1/list-entries/5f0c', 'registry'],
    ['GET', '/v1/list-entries/5f0c?x=1', 'registry'],
    ['GET', '/v1/assignments?entryId=1', 'trigger'],
    ['POST', '/v1/assignments/ack', 'enforcement'],
    ['POST', '/v1/assignments/abc/ack', 'enforcement'],
    ['HEAD', '/v1/assignments', 'trigger'],
    // another method on a known path still goes to its owner, which answers 404/405 itself
    ['DELETE', '/v1/list-entries/5f0c', 'registry'],
    ['GET', '/public/v1/entries?q=x', 'registry'],
    ['POST', '/dev/v1/token', 'registry'],
  ])('%s %s → %s', (method, url, service) => expect(table.ownerOf(method, url)).toBe(service));

  it.each([
    ['GET', '/v1/nothing'],
    ['GET', '/v1/list-entries/a/b/c'],
    ['GET', '/v1/assignments/x/y/z'],
  ])('%s %s has no owner', (method, url) => expect(table.ownerOf(method, url)).toBeUndefined());

  it('is generated from the four services (npm run console:api), one owner per operation', () => {
    const real = new RouteTable();
    expect(real.size).toBe(owners.length);
    expect(new Set(owners.map((o) => o.service))).toEqual(
      new Set(['registry', 'trigger', 'enforcement', 'tracking']),
    );
    expect(real.ownerOf('POST', '/v1/checks')).toBe('enforcement');
    expect(real.ownerOf('GET', '/v1/stats/departments')).toBe('tracking');
    expect(real.ownerOf('POST', '/v1/memoranda/import')).toBe('trigger');
    expect(real.ownerOf('GET', '/v1/list-entries/imports/0b9f')).toBe('registry');
    expect(real.ownerOf('GET', '/v1/list-entries/0b9f/trail/verify')).toBe('tracking');
  });

  it('reads the owners from a service document: /v1 and /public/v1 operations only', () => {
    const rows = ownersFromDocument('tracking', {
      paths: {
        '/v1/overdue': { get: {}, parameters: [] },
        '/public/v1/entries': { get: {} },
        '/health/ready': { get: {} },
      },
    });
    expect(rows).toEqual([
      { method: 'GET', path: '/v1/overdue', service: 'tracking' },
      { method: 'GET', path: '/public/v1/entries', service: 'tracking' },
    ]);
  });
});
