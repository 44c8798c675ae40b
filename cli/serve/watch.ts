import * as fs from 'node:fs';
import * as path from 'node:path';

// `--watch`: a change anywhere under the project (outside the build output,
// node_modules and dot folders) calls `onChange` once the burst of events an
// editor's save makes has settled.

const SETTLE_MS = 150;

export function watchSources(dir: string, ignore: string[], onChange: () => void): () => void {
  const ignored = ignore.map((folder) => path.resolve(folder));
  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(dir, { recursive: true }, (_event, file) => {
    if (file === null) return;
    const absolute = path.resolve(dir, file.toString());
    const parts = path.relative(dir, absolute).split(path.sep);
    if (parts.some((part) => part === 'node_modules' || (part.startsWith('.') && part !== '.'))) return;
    if (ignored.some((folder) => absolute === folder || absolute.startsWith(folder + path.sep))) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
