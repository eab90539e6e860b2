/** Prints rows as a plain-text table for a terminal: a header (unless a later page of the same table), columns padded to their widest cell. */
export type Cell = string | number | boolean | null | undefined;

export function printTable(columns: readonly string[], rows: readonly (readonly Cell[])[], opts: { header?: boolean } = {}): void {
  const text = (cell: Cell): string => (cell === null || cell === undefined ? '' : String(cell));
  const cells = [columns.map(text), ...rows.map((row) => row.map(text))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const shown = opts.header === false ? cells.slice(1) : cells;
  const lines = shown.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
  process.stdout.write(`${lines.join('\n')}\n`);
}
