/** Sorting for the console's sortable tables: numbers as numbers, `-` and empty cells last. */
export type SortDirection = 'ascending' | 'descending';

export function compareCells(a: string | number | undefined, b: string | number | undefined): number {
  const blank = (v: unknown) => v === undefined || v === '' || v === '-';
  if (blank(a) || blank(b)) return blank(a) === blank(b) ? 0 : blank(a) ? 1 : -1;
  const na = typeof a === 'number' ? a : leadingNumber(String(a));
  const nb = typeof b === 'number' ? b : leadingNumber(String(b));
  if (na !== undefined && nb !== undefined && na !== nb) return na - nb;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** `82×1` → 82, `12` → 12, `pass` → undefined. */
function leadingNumber(s: string): number | undefined {
  const m = /^-?\d+(\.\d+)?/.exec(s);
  return m ? Number(m[0]) : undefined;
}

/** A stable sort of rows by one column; blanks stay last in both directions. */
export function sortRows<T>(rows: readonly T[], cell: (row: T) => string | number | undefined, direction: SortDirection): T[] {
  return rows.map((row, i) => ({ row, i })).sort((x, y) => {
    const a = cell(x.row);
    const b = cell(y.row);
    const blank = (v: unknown) => v === undefined || v === '' || v === '-';
    if (blank(a) !== blank(b)) return blank(a) ? 1 : -1;
    const c = compareCells(a, b);
    return (direction === 'ascending' ? c : -c) || x.i - y.i;
  }).map((x) => x.row);
}
