/** A column of a {@link Table}. */
export interface Column {
  /** Header text. */
  readonly header: string;
  /** Alignment of the cells: text left, numbers right. @default 'left' */
  readonly align?: 'left' | 'right';
}

/**
 * The columns of a table whose first column names the row (text, aligned left) and whose others hold numbers
 * (aligned right): `rowColumns('stack', 'runs', 'p50 ms')`.
 */
export function rowColumns(label: string, ...numbers: readonly string[]): Column[] {
  return [{ header: label }, ...numberColumns(...numbers)];
}

/** Columns that all hold numbers (aligned right). */
export function numberColumns(...headers: readonly string[]): Column[] {
  return headers.map((header) => ({ header, align: 'right' }));
}

/** A table as printed and as stored in the results file. */
export interface Table {
  /** Shown above the table. */
  readonly title: string;
  readonly columns: readonly Column[];
  /** One string per column in each row (already formatted). */
  readonly rows: readonly (readonly string[])[];
  /** Notes printed under the table as a numbered list, in the order given. */
  readonly footnotes?: readonly string[];
}

/** Display width of a cell: code points, so that "×" and "µ" count as one. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Makes a cell safe inside a markdown table: pipes are escaped, line breaks become spaces. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders a GitHub-flavoured markdown table whose columns are padded to a common width, so it reads well in a
 * terminal and pastes into a README unchanged. The title becomes a `###` heading; footnotes follow as a numbered list.
 *
 * @throws Error when a row does not have one cell per column
 */
export function formatTable(table: Table): string {
  const { columns, rows } = table;
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new Error(
        `row ${i} of table "${table.title}" has ${row.length} cells but the table has ${columns.length} columns`,
      );
    }
  });
  const header = columns.map((c) => escapeCell(c.header));
  const body = rows.map((row) => row.map(escapeCell));
  const widths = columns.map((_, i) => Math.max(3, width(header[i] ?? ''), ...body.map((row) => width(row[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align ?? 'left')).join(' | ')} |`;
  const rule = `| ${widths
    .map((w, i) => (columns[i]?.align === 'right' ? `${'-'.repeat(w - 1)}:` : `:${'-'.repeat(w - 1)}`))
    .join(' | ')} |`;
  const out = [`### ${table.title}`, '', line(header), rule, ...body.map(line)];
  const notes = table.footnotes ?? [];
  if (notes.length > 0) {
    out.push('');
    notes.forEach((note, i) => out.push(`${i + 1}. ${note}`));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Formats a duration in milliseconds with about three significant digits: `0.042`, `4.21`, `42.1`, `421`, `4210`.
 * `undefined` (not measured) prints as `n/a`.
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  const abs = Math.abs(ms);
  if (abs >= 100) return ms.toFixed(0);
  if (abs >= 10) return ms.toFixed(1);
  if (abs >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** Formats a ratio as `1.23×`: three decimals under 0.1, two under 10, one under 100, none above. */
export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${value.toFixed(0)}×`;
  if (value >= 10) return `${value.toFixed(1)}×`;
  if (value >= 0.1) return `${value.toFixed(2)}×`;
  return `${value.toFixed(3)}×`;
}

/** Formats a byte count in MiB with one decimal. */
export function formatMiB(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  return (bytes / 1024 / 1024).toFixed(1);
}
