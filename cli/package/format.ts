import type { FunctionArtifact } from '../../manifest/types';

// How `sparta build` shows its work: one line per archive as it is written,
// and a table at the end. Pure functions, so the command stays thin and the
// tests can check the text.

/** Binary units, as Lambda counts its limits (its "50 MB" is 50 × 1024 × 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface ProgressStyle {
  /** A terminal gets a mark (and colour if it has colours); a pipe or a file gets plain text. */
  tty: boolean;
  color?: boolean;
}

const GREEN = '\u001b[32m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export function progressLine(artifact: FunctionArtifact, style: ProgressStyle): string {
  const size = `${formatBytes(artifact.zippedSize)} zipped, ${formatBytes(artifact.unzippedSize)} unzipped`;
  if (!style.tty) return `built ${artifact.functionId} (${size})`;
  return style.color ? `${GREEN}✔${RESET} ${artifact.functionId} ${DIM}${size}${RESET}` : `✔ ${artifact.functionId} ${size}`;
}

/** The line a terminal shows (and then overwrites) while rollup works. */
export function pendingLine(functionCount: number): string {
  return `bundling ${functionCount} function${functionCount === 1 ? '' : 's'}…`;
}

export function summaryTable(artifacts: readonly FunctionArtifact[], outDir: string): string {
  const header = ['function', 'zipped', 'unzipped', 'archive'];
  const rows = artifacts.map((a) => [a.functionId, formatBytes(a.zippedSize), formatBytes(a.unzippedSize), a.archive]);
  const zipped = artifacts.reduce((sum, a) => sum + a.zippedSize, 0);
  const unzipped = artifacts.reduce((sum, a) => sum + a.unzippedSize, 0);
  const total = [`${artifacts.length} function${artifacts.length === 1 ? '' : 's'}`, formatBytes(zipped), formatBytes(unzipped), outDir];
  const all = [header, ...rows, total];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...rows.map(render), rule, render(total)].join('\n');
}
