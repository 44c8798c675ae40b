import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchProjectFiles } from '../../manifest/files';
import type { ZipInput } from './zip';

// `@Lambda({ files })`: project files read at run time, copied into the
// archive at their paths relative to the project folder, where `assetPath()`
// finds them (the archive root is LAMBDA_TASK_ROOT). Their bytes are in the
// zip, so they are in its hash: a changed file is a new archive.

export function projectFiles(projectDir: string, patterns: readonly string[] | undefined): ZipInput[] {
  if (patterns === undefined || patterns.length === 0) return [];
  return matchProjectFiles(projectDir, patterns).map((file) => ({ path: file, contents: fs.readFileSync(path.join(projectDir, file)) }));
}
