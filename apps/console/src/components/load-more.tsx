import { Button } from 'antd';

/** "加载更多" under a list that pages with the API's cursor, with how many rows are shown. */
export function LoadMore({
  list,
  testId,
  unit = '条',
}: {
  list: { items: unknown[]; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  testId?: string;
  /** the measure word of what the list holds (条, 项) */
  unit?: string;
}) {
  return (
    <div style={{ marginTop: 12, display: 'flex', gap: 12, alignItems: 'center' }} data-testid={testId}>
      <span>
        已显示 {list.items.length} {unit}
      </span>
      {list.hasNextPage && (
        <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          加载更多
        </Button>
      )}
    </div>
  );
}
