import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { LoadMore } from './LoadMore';
import { ResourceView } from './ResourceView';
import { useListStyles } from './useListStyles';
import type { PagedList } from './usePagedList';

export interface Column<T> {
  header: string;
  cell(item: T): ReactNode;
}

/**
 * A list the API serves a page at a time, as a table: the rows loaded so far (`shown`: those matching the
 * filter in force), "Load the next 50 deals" under it while there are more, and the loading, error and empty states.
 */
export function PagedTable<T>(props: {
  list: PagedList<T>;
  shown: readonly T[];
  /** The table's accessible name: "Deals". */
  label: string;
  /** What a row is, in the plural: "deals". */
  noun: string;
  pageSize: number;
  columns: readonly Column<T>[];
  rowKey(item: T): string;
  empty: ReactNode;
}) {
  const styles = useListStyles();
  const { list, columns } = props;
  return (
    <ResourceView resource={list.resource} loadingLabel={`Loading ${props.noun}…`} isEmpty={(page) => page.items.length === 0} empty={props.empty}>
      {() => (
        <>
          <Table aria-label={props.label} className={styles.table}>
            <TableHeader>
              <TableRow>
                {columns.map((column) => (
                  <TableHeaderCell key={column.header}>{column.header}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {props.shown.map((item) => (
                <TableRow key={props.rowKey(item)}>
                  {columns.map((column) => (
                    <TableCell key={column.header}>{column.cell(item)}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMore list={list} label={`Load the next ${props.pageSize} ${props.noun}`} />
        </>
      )}
    </ResourceView>
  );
}
