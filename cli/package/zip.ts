import AdmZip from 'adm-zip';

// A zip whose bytes depend only on the files in it: entries in byte order of
// their names, one fixed timestamp, fixed permissions, no comments and no
// extra fields. Its sha256 is then a content key: the same bundle gives the
// same archive on any machine, any day.

export interface ZipInput {
  /** Relative to the archive root, posix separators. */
  path: string;
  contents: Buffer;
}

/** 1980-01-01 00:00:00, the earliest time a zip can hold, as MS-DOS date << 16 | time. */
const DOS_EPOCH = ((0 << 9) | (1 << 5) | 1) << 16;
/** rw-r--r--: the Lambda runtime only reads the code. */
const FILE_MODE = 0o644;

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function deterministicZip(files: readonly ZipInput[]): Buffer {
  // adm-zip would sort with localeCompare, whose order follows the machine's locale.
  const zip = new AdmZip(undefined, { noSort: true });
  const sorted = [...files].sort((a, b) => compareNames(a.path, b.path));
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i]!.path === sorted[i - 1]!.path) throw new Error(`duplicate archive entry ${sorted[i]!.path}`);
  }
  for (const file of sorted) {
    const entry = zip.addFile(file.path, file.contents, '', FILE_MODE);
    entry.header.timeval = DOS_EPOCH;
  }
  return zip.toBuffer();
}

export function unzippedSize(files: readonly ZipInput[]): number {
  return files.reduce((total, file) => total + file.contents.length, 0);
}
