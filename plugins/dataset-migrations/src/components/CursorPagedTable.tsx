import {
  Table,
  type TableColumn,
  type TableProps,
} from '@backstage/core-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BACKEND_RETRYING, errorMessage } from './errorMessage';
import { useRetryWhileUnreachable } from './useRetryWhileUnreachable';

// The remote `data` function's query and answer, as core Table declares them.
type RemoteData<T extends object> = Extract<
  TableProps<T>['data'],
  (query: never) => unknown
>;
type Query<T extends object> = Parameters<RemoteData<T>>[0];
type QueryResult<T extends object> = Awaited<ReturnType<RemoteData<T>>>;

/** One page as the API answers it: cursors, never offsets or totals. */
export type CursorPage<T> = { items: T[]; nextCursor?: string | null };

export type CursorPagedTableProps<T extends object> = {
  title: string;
  /** Stable across renders (module level or memoized): the table resets when they change. */
  columns: TableColumn<T>[];
  /** Asks the API for the page after `cursor` (the first page without one). */
  fetchPage: (
    cursor: string | undefined,
    limit: number,
  ) => Promise<CursorPage<T>>;
  pageSize: number;
  /** Changes when the query behind `fetchPage` changes: back to the first page. */
  queryKey: string;
  /** Changes when the rows may have changed: the page shown is asked again. */
  refreshKey?: unknown;
  emptyMessage: string;
  /** What a failed request reads as, with the error's message. */
  errorText: (message: string) => string;
};

type Shown<T> = {
  page: number;
  items: T[];
  hasMore: boolean;
  search: string;
  order: string;
};

const valueOf = (row: object, field: unknown) =>
  typeof field === 'string'
    ? (row as Record<string, unknown>)[field]
    : undefined;

/** Core Table's sort over the rows of the page shown, by the column's field or customSort. */
function sortRows<T extends object>(rows: T[], query: Query<T>): T[] {
  const column = query.orderBy;
  if (!column || !query.orderDirection) return rows;
  const direction = query.orderDirection === 'desc' ? -1 : 1;
  const compare = (a: T, b: T): number => {
    if (column.customSort) return column.customSort(a, b, 'row');
    const x = String(valueOf(a, column.field) ?? '');
    const y = String(valueOf(b, column.field) ?? '');
    return x.localeCompare(y);
  };
  return [...rows].sort((a, b) => direction * compare(a, b));
}

/** Core Table's search over the rows of the page shown: any column's field holds the text. */
function searchRows<T extends object>(
  rows: T[],
  columns: TableColumn<T>[],
  search: string,
): T[] {
  const text = search.trim().toLocaleLowerCase();
  if (!text) return rows;
  return rows.filter(row =>
    columns.some(c =>
      c.customFilterAndSearch
        ? c.customFilterAndSearch(text, row, c)
        : String(valueOf(row, c.field) ?? '')
            .toLocaleLowerCase()
            .includes(text),
    ),
  );
}

/**
 * Core `Table` over an API that pages with cursors (migrations, a campaign's datasets:
 * both unbounded, so the rows are never loaded whole). Paging stays on the server, through
 * the Table's remote `data` function and its own pager inside the card; the cursor of
 * each page walked is kept, so Previous goes back exactly. The API has no sort or search
 * of its own (it orders newest first), so the Table's sort and search apply to the rows
 * of the page shown, and the subtitle and the search box say so: sorting one page must
 * not read as sorting the whole history. Changing either keeps that page instead of the
 * Table's usual jump back to the first one.
 */
export function CursorPagedTable<T extends object>({
  title,
  columns,
  fetchPage,
  pageSize,
  queryKey,
  refreshKey,
  emptyMessage,
  errorText,
}: CursorPagedTableProps<T>) {
  // Material-table's instance: its onQueryChange asks `data` again.
  const tableRef = useRef<{
    onQueryChange: (query?: Partial<Query<T>>) => void;
  }>();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  // cursors[i] is the cursor of page i; the first page has none.
  const cursors = useRef<Array<string | undefined>>([undefined]);
  const shown = useRef<Shown<T>>();
  const [page, setPage] = useState(0);
  const [error, setError] = useState<unknown>();

  const data = useCallback(
    async (query: Query<T>): Promise<QueryResult<T>> => {
      const order = `${String(query.orderBy?.field ?? '')}:${
        query.orderDirection ?? ''
      }`;
      let current = shown.current;
      const isNewView =
        current !== undefined &&
        (current.search !== query.search || current.order !== order);
      if (!current || !isNewView) {
        const wanted = Math.min(query.page, cursors.current.length - 1);
        try {
          const result = await fetchRef.current(
            cursors.current[wanted],
            pageSize,
          );
          const hasMore = Boolean(result.nextCursor);
          cursors.current = cursors.current.slice(0, wanted + 1);
          if (hasMore) cursors.current.push(result.nextCursor!);
          current = {
            page: wanted,
            items: result.items.map(item => ({ ...item })),
            hasMore,
            search: query.search,
            order,
          };
          setError(undefined);
        } catch (e) {
          setError(e);
          current = {
            page: wanted,
            items: [],
            hasMore: false,
            search: query.search,
            order,
          };
        }
      }
      current = { ...current, search: query.search, order };
      shown.current = current;
      setPage(current.page);
      const rows = sortRows(
        searchRows(current.items, columns, query.search),
        query,
      );
      return {
        data: rows,
        page: current.page,
        // The API gives no total: one row more than this page while another follows,
        // so the pager's Next is enabled exactly when there is a next page.
        totalCount: current.hasMore
          ? (current.page + 1) * pageSize + 1
          : current.page * pageSize + current.items.length,
      };
    },
    [columns, pageSize],
  );

  // A new query starts over at the first page; a refresh asks for the page shown again.
  // The keys seen last, not a first-render flag: effects may run twice in strict mode.
  const seenQueryKey = useRef(queryKey);
  const seenRefreshKey = useRef(refreshKey);
  useEffect(() => {
    if (seenQueryKey.current === queryKey) return;
    seenQueryKey.current = queryKey;
    cursors.current = [undefined];
    shown.current = undefined;
    tableRef.current?.onQueryChange({ page: 0 });
  }, [queryKey]);
  useEffect(() => {
    if (seenRefreshKey.current === refreshKey) return;
    seenRefreshKey.current = refreshKey;
    shown.current = undefined;
    tableRef.current?.onQueryChange();
  }, [refreshKey]);

  // While the backend does not answer, the page shown is asked again every few
  // seconds, and comes back by itself.
  const retry = useCallback(() => {
    shown.current = undefined;
    tableRef.current?.onQueryChange();
  }, []);
  const isReconnecting = useRetryWhileUnreachable(error, retry);
  let emptyText = emptyMessage;
  if (isReconnecting) emptyText = BACKEND_RETRYING;
  else if (error) emptyText = errorText(errorMessage(error));

  const options = useMemo(
    () => ({
      paging: true,
      pageSize,
      pageSizeOptions: [pageSize],
      showFirstLastPageButtons: false,
      search: true,
      sorting: true,
      // No column dragging: its handle would nest a second button in each sort header.
      draggable: false,
      padding: 'dense' as const,
      // Words broke inside narrow cells on a phone (a status read "aw|aiti|ng"): cells
      // keep their words and the table scrolls sideways instead.
      headerStyle: { whiteSpace: 'nowrap' as const },
      rowStyle: { whiteSpace: 'nowrap' as const },
      loadingType: 'linear' as const,
    }),
    [pageSize],
  );

  return (
    <Table<T>
      tableRef={tableRef}
      title={title}
      subtitle={`${pageSize} a page, newest first; sort and search apply to the page shown.`}
      options={options}
      columns={columns}
      data={data}
      localization={{
        toolbar: {
          searchPlaceholder: 'Search this page',
          searchTooltip: 'Search this page',
        },
        pagination: {
          labelDisplayedRows: `Page ${page + 1}`,
          previousAriaLabel: 'Previous page',
          previousTooltip: 'Previous page',
          nextAriaLabel: 'Next page',
          nextTooltip: 'Next page',
        },
        body: { emptyDataSourceMessage: emptyText },
      }}
    />
  );
}
