// Plain-text tables for terminal output. Cells may hold several lines; each
// row is as tall as its tallest cell. No colours: output is read by people
// and by tests alike.

export type Cell = string | number | string[];

export function renderTable(headers: string[], rows: Cell[][], indent = ''): string {
  const cells = [headers.map((header) => [header]), ...rows.map((row) => row.map(toLines))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => Math.max(...(row[column] ?? ['']).map((line) => line.length)))));
  const out: string[] = [];
  for (const row of cells) {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      const line = widths.map((width, column) => (row[column]?.[i] ?? '').padEnd(width)).join('  ');
      out.push(`${indent}${line}`.trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}

function toLines(cell: Cell): string[] {
  if (Array.isArray(cell)) return cell.length > 0 ? cell : ['-'];
  return [String(cell)];
}
