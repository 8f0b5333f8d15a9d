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

/** The order and search the server applies to the whole list (none: its default order). */
export type ServerView<O extends string> = {
  orderBy?: O;
  order?: 'asc' | 'desc';
  search?: string;
};

export type CursorPagedTableProps<T extends object, O extends string> = {
  title: string;
  /** Stable across renders (module level or memoized): the table resets when they change. */
  columns: TableColumn<T>[];
  /**
   * The columns the server can order the whole list by: each column's field, to the
   * API's name for that order. Only these columns are sortable; without it, none is.
   */
  serverOrder?: Partial<Record<string, O>>;
  /** Whether the server searches the whole list (a search box is shown). */
  serverSearch?: boolean;
  /** What the list is ordered by until a column is sorted, e.g. "newest first". */
  defaultOrder: string;
  /** Asks the API for the page after `cursor` (the first page without one) in `view`. */
  fetchPage: (
    cursor: string | undefined,
    limit: number,
    view: ServerView<O>,
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

/** The Table's sort and search as the server's view of the list. */
function viewOf<T extends object, O extends string>(
  query: Query<T>,
  serverOrder: Partial<Record<string, O>> | undefined,
  serverSearch: boolean,
): ServerView<O> {
  const field = query.orderBy?.field;
  const orderBy =
    typeof field === 'string' && query.orderDirection
      ? serverOrder?.[field]
      : undefined;
  const search = serverSearch ? query.search.trim() : '';
  return {
    ...(orderBy
      ? { orderBy, order: query.orderDirection === 'asc' ? 'asc' : 'desc' }
      : {}),
    ...(search ? { search } : {}),
  };
}

/**
 * Core `Table` over an API that pages with cursors (migrations, a campaign's datasets:
 * both unbounded, so the rows are never loaded whole). Paging stays on the server, through
 * the Table's remote `data` function and its own pager inside the card; the cursor of
 * each page walked is kept, so Previous goes back exactly. Sort and search are the
 * server's too, over the whole list: a sorted column or a search is passed to
 * `fetchPage` and starts over at the first page (the cursors of another order mean
 * nothing). A column the server cannot order by is not sortable: sorting only the page
 * shown would read as sorting the whole list.
 */
export function CursorPagedTable<T extends object, O extends string = never>({
  title,
  columns,
  serverOrder,
  serverSearch = false,
  defaultOrder,
  fetchPage,
  pageSize,
  queryKey,
  refreshKey,
  emptyMessage,
  errorText,
}: CursorPagedTableProps<T, O>) {
  // Material-table's instance: its onQueryChange asks `data` again.
  const tableRef = useRef<{
    onQueryChange: (query?: Partial<Query<T>>) => void;
  }>();
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  // cursors[i] is the cursor of page i under the view seen last; the first page has none.
  const cursors = useRef<Array<string | undefined>>([undefined]);
  const seenView = useRef('{}');
  const [page, setPage] = useState(0);
  const [error, setError] = useState<unknown>();

  const data = useCallback(
    async (query: Query<T>): Promise<QueryResult<T>> => {
      const view = viewOf(query, serverOrder, serverSearch);
      const viewKey = JSON.stringify(view);
      if (viewKey !== seenView.current) {
        seenView.current = viewKey;
        cursors.current = [undefined];
      }
      const wanted = Math.min(query.page, cursors.current.length - 1);
      let items: T[] = [];
      let hasMore = false;
      try {
        const result = await fetchRef.current(
          cursors.current[wanted],
          pageSize,
          view,
        );
        hasMore = Boolean(result.nextCursor);
        cursors.current = cursors.current.slice(0, wanted + 1);
        if (hasMore) cursors.current.push(result.nextCursor!);
        items = result.items.map(item => ({ ...item }));
        setError(undefined);
      } catch (e) {
        setError(e);
      }
      setPage(wanted);
      return {
        data: items,
        page: wanted,
        // The API gives no total: one row more than this page while another follows,
        // so the pager's Next is enabled exactly when there is a next page.
        totalCount: hasMore
          ? (wanted + 1) * pageSize + 1
          : wanted * pageSize + items.length,
      };
    },
    [pageSize, serverOrder, serverSearch],
  );

  // Only the columns the server orders by are sortable.
  const tableColumns = useMemo(
    () =>
      columns.map(c =>
        typeof c.field === 'string' && serverOrder?.[c.field]
          ? c
          : { ...c, sorting: false },
      ),
    [columns, serverOrder],
  );

  // A new query starts over at the first page; a refresh asks for the page shown again.
  // The keys seen last, not a first-render flag: effects may run twice in strict mode.
  const seenQueryKey = useRef(queryKey);
  const seenRefreshKey = useRef(refreshKey);
  useEffect(() => {
    if (seenQueryKey.current === queryKey) return;
    seenQueryKey.current = queryKey;
    cursors.current = [undefined];
    tableRef.current?.onQueryChange({ page: 0 });
  }, [queryKey]);
  useEffect(() => {
    if (seenRefreshKey.current === refreshKey) return;
    seenRefreshKey.current = refreshKey;
    tableRef.current?.onQueryChange();
  }, [refreshKey]);

  // While the backend does not answer, the page shown is asked again every few
  // seconds, and comes back by itself.
  const retry = useCallback(() => {
    tableRef.current?.onQueryChange();
  }, []);
  const isReconnecting = useRetryWhileUnreachable(error, retry);
  let emptyText = emptyMessage;
  if (isReconnecting) emptyText = BACKEND_RETRYING;
  else if (error) emptyText = errorText(errorMessage(error));

  const isSortable = Boolean(
    serverOrder && Object.values(serverOrder).some(Boolean),
  );
  const options = useMemo(
    () => ({
      paging: true,
      pageSize,
      pageSizeOptions: [pageSize],
      showFirstLastPageButtons: false,
      search: serverSearch,
      // The server waits for a pause in typing, not each key.
      debounceInterval: 400,
      sorting: isSortable,
      // No column dragging: its handle would nest a second button in each sort header.
      draggable: false,
      padding: 'dense' as const,
      // Words broke inside narrow cells on a phone (a status read "aw|aiti|ng"): cells
      // keep their words and the table scrolls sideways instead.
      headerStyle: { whiteSpace: 'nowrap' as const },
      rowStyle: { whiteSpace: 'nowrap' as const },
      loadingType: 'linear' as const,
    }),
    [pageSize, serverSearch, isSortable],
  );

  return (
    <Table<T>
      tableRef={tableRef}
      title={title}
      subtitle={`${pageSize} a page, ${defaultOrder}${
        isSortable ? ' until you sort by a column' : ''
      }.`}
      options={options}
      columns={tableColumns}
      data={data}
      localization={{
        toolbar: {
          searchPlaceholder: 'Search all',
          searchTooltip: 'Search every page',
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
