import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin, RollupLog } from 'rollup';
import type * as TS from 'typescript';
import type { FunctionManifest } from '../../manifest/types';
import { topLevelAwaitInCjs, type SpartaError } from '../errors';
import { entryId } from './entry';

// A CommonJS bundle cannot hold a module that awaits at its top level: rollup
// refuses it when it renders the CommonJS output (INVALID_TLA_FORMAT), naming
// the module alone. This says where the await is and which functions import
// the module, so that the user knows what to set `format: 'esm'` on.

/** Rollup's code for a top-level await in an output format that has none. */
const INVALID_TLA_FORMAT = 'INVALID_TLA_FORMAT';

export function isTopLevelAwaitError(error: unknown): error is RollupLog {
  return (error as RollupLog | undefined)?.code === INVALID_TLA_FORMAT;
}

/** Each module's static and dynamic imports, as the build resolved them: read once the build is done. */
export interface ModuleGraph {
  plugin: Plugin;
  importsOf(id: string): readonly string[];
}

export function moduleGraph(): ModuleGraph {
  const imports = new Map<string, string[]>();
  return {
    plugin: {
      name: 'sparta-module-graph',
      buildEnd(error) {
        if (error) return;
        for (const id of this.getModuleIds()) {
          const info = this.getModuleInfo(id);
          if (info) imports.set(id, [...info.importedIds, ...info.dynamicallyImportedIds]);
        }
      },
    },
    importsOf: (id) => imports.get(id) ?? [],
  };
}

/** `log`: rollup's error; `show`: how a file is named to the user. */
export function topLevelAwaitError(log: RollupLog, functions: readonly FunctionManifest[], graph: ModuleGraph, show: (file: string) => string): SpartaError {
  const id = log.id ?? '';
  const at = path.isAbsolute(id) ? firstTopLevelAwait(id) : undefined;
  const where = `${id.startsWith('\0') || id === '' ? 'a generated module' : show(id)}${at ? `:${at.line}:${at.column}` : ''}`;
  const reaching = functions.filter((fn) => reaches(entryId(fn), id, graph)).map((fn) => fn.id);
  return topLevelAwaitInCjs(where, reaching);
}

function reaches(from: string, to: string, graph: ModuleGraph): boolean {
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (id === to) return true;
    for (const next of graph.importsOf(id)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/**
 * Where the module's first top-level `await` stands in its own text (1-based line and column): an `await`
 * expression, `for await` or `await using` outside any function. Undefined when the file cannot be read.
 */
export function firstTopLevelAwait(file: string): { line: number; column: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const ts = require('typescript') as typeof TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (found) return;
    // An await inside these waits in its own function, not in the module's evaluation.
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) || ts.isPropertyDeclaration(node)) return;
    if (ts.isAwaitExpression(node)) found = node;
    else if (ts.isForOfStatement(node) && node.awaitModifier) found = node.awaitModifier;
    else if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) return undefined;
  const { line, character } = source.getLineAndCharacterOfPosition(found.getStart(source));
  return { line: line + 1, column: character + 1 };
}
