import * as path from 'node:path';

// Files a function reads at run time (`@Lambda({ files })`) sit in its archive
// at their paths relative to the project folder. Lambda unpacks the archive at
// LAMBDA_TASK_ROOT, and so do `sparta invoke` and `sparta serve`; code run
// straight from the project folder (a unit test, a script) finds them from the
// working directory, where they are in the source tree.

/** The absolute path of a file listed in `files`, given as written there: relative to the project folder. */
export function assetPath(file: string): string {
  const relative = path.posix.normalize(file.split(path.sep).join('/'));
  if (path.posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
    throw new Error(`assetPath(${JSON.stringify(file)}): give the path relative to the project folder, as in @Lambda({ files })`);
  }
  return path.join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), relative);
}
