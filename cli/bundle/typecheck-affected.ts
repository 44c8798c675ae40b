import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { ProjectImports } from './project-imports';

// After a clean check, a change to some of the project's modules can only
// change the errors of those modules and of the modules that import them
// (directly or not): a module's errors depend on its own text, on what it
// imports and on the global declarations. So the next check needs a program of
// those modules alone, with what they import, and not every declaration the
// whole program reaches: parsing those again is nearly all of a warm check's
// cost (the AWS SDK's 600 declaration files, for one function that uses it).
// The files that declare globals, augment a module or pull files in by a
// `/// <reference>` are always among the roots, since any module may depend on
// them without importing them; a change to one of them checks everything.

/** Whether a module's declarations reach modules that do not import it: a script, `declare global`, `declare module`, a `/// <reference>`. */
export function reachesOthers(ts: typeof TS, file: TS.SourceFile): boolean {
  if (!ts.isExternalModule(file) || file.referencedFiles.length > 0 || file.typeReferenceDirectives.length > 0) return true;
  return file.statements.some((statement) => ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0));
}

export interface AffectedCheck {
  /** The root files of the narrowed program. */
  roots: string[];
  /** The modules whose errors may have changed. */
  affected: string[];
}

/**
 * The roots a check after `changed` must cover, or undefined when only a check of the whole program will do: a
 * changed file that is no root module of the program, or whose declarations reach further (now, or at the last
 * check: `reachingBefore`).
 */
export function affectedCheck(
  ts: typeof TS,
  rootNames: readonly string[],
  changed: readonly string[],
  reachingBefore: readonly string[],
  compilerOptions: TS.CompilerOptions,
): AffectedCheck | undefined {
  const roots = new Set(rootNames.map((file) => path.resolve(file)));
  for (const file of changed) {
    if (!roots.has(file) || reachingBefore.includes(file) || /\.d\.[cm]?ts$/.test(file)) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    // Parsed alone it counts as a script unless its own syntax makes it a module: when in doubt, a whole check.
    if (reachesOthers(ts, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true))) return undefined;
  }
  const imports = new ProjectImports({ compilerOptions, projectDir: commonFolder([...roots]) });
  const importers = new Map<string, string[]>();
  for (const root of roots) {
    for (const target of imports.modulesOf(root)) importers.set(target, [...(importers.get(target) ?? []), root]);
  }
  const affected = new Set<string>();
  const visit = (file: string): void => {
    if (affected.has(file)) return;
    affected.add(file);
    for (const importer of importers.get(file) ?? []) visit(importer);
  };
  for (const file of changed) visit(file);
  return { roots: [...new Set([...affected, ...reachingBefore])].sort(), affected: [...affected].sort() };
}

/** The deepest folder that holds every file: the program's files may lie beside the tsconfig's folder (`rootDirs`, `include: ['../shared']`). */
function commonFolder(files: readonly string[]): string {
  let folder = path.dirname(files[0] ?? path.sep);
  while (!files.every((file) => file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep))) folder = path.dirname(folder);
  return folder;
}
