import { InMemoryMeasureQueries, rowId } from './measure-queries.fake';
import { readWholeSet } from './whole-set-reader';

describe('readWholeSet', () => {
  const table = (n: number) => {
    const queries = new InMemoryMeasureQueries();
    for (let i = 1; i <= n; i += 1) queries.put({ id: rowId(i), targetId: `T${i % 700}` });
    queries.put({ id: rowId(n + 1), targetId: 'GONE', status: 'lifted' });
    return queries;
  };

  it('reads every binding row, page by page, after taking its watermark', async () => {
    const queries = table(1100);
    const watermark = await queries.watermark();
    const index = await readWholeSet(queries, { intact: () => true, maxRows: 1e6 });
    expect(index?.rows).toBe(1100);
    expect(index?.size).toBe(700);
    expect(index?.known('T5')?.length).toBe(2);
    expect(index?.known('GONE')).toEqual([]);
    expect(index?.watermark).toBe(watermark);
    expect(queries.calls.bindingPage).toBe(3);
  });

  it('stops when no longer wanted', async () => {
    const queries = table(1100);
    let pages = 0;
    const index = await readWholeSet(queries, { intact: () => pages++ < 2, maxRows: 1e6 });
    expect(index).toBeUndefined();
    expect(queries.calls.bindingPage).toBe(1);
  });

  it('gives up on a set too large to hold, and says so', async () => {
    const queries = table(1100);
    const tooLarge = jest.fn();
    expect(await readWholeSet(queries, { intact: () => true, maxRows: 600, tooLarge })).toBeUndefined();
    expect(tooLarge).toHaveBeenCalledWith(1000);
  });
});
