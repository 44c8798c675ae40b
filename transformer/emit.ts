import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../manifest/types';

export const DEFAULT_MANIFEST_FILE = 'sparta.manifest.json';

/** Stable bytes: the analysis already orders everything, and there are no timestamps. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes only when the bytes change, so watchers and incremental builds stay quiet. */
export function writeManifest(file: string, manifest: Manifest): void {
  const text = serializeManifest(manifest);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
