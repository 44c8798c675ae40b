import * as path from 'node:path';
import type { FunctionManifest, ModuleFormat } from '../../manifest/types';

// Every function's bundle starts at a generated module that wires the user's
// class to the runtime's handler adapter. The adapter creates one instance per
// container on first use, so constructor work is shared by warm invocations.

/** Rollup id prefix of the generated entries (the NUL keeps other plugins away from them). */
export const ENTRY_PREFIX = '\0sparta-entry:';

/**
 * The file at the archive's root and the export it holds: the Lambda handler string is `index.handler`, in either
 * format (Lambda's Node.js runtime loads `index.mjs` when there is no `index.js`).
 */
export const ENTRY_FILE = 'index.js';
export const ESM_ENTRY_FILE = 'index.mjs';
export const HANDLER_EXPORT = 'handler';
export const HANDLER = `${path.basename(ENTRY_FILE, '.js')}.${HANDLER_EXPORT}`;

/** The extension of every file of a bundle in `format`, and so of its entry. */
export function codeExtension(format: ModuleFormat): '.js' | '.mjs' {
  return format === 'esm' ? '.mjs' : '.js';
}

/** The package users import the decorators and the handler adapter from. */
export const RUNTIME_PACKAGE = 'sparta';

export function entryId(fn: Pick<FunctionManifest, 'id'>): string {
  return ENTRY_PREFIX + fn.id;
}

/** The generated entry module for one function. `sourceFile` is absolute. */
export function entrySource(fn: Pick<FunctionManifest, 'exportName' | 'methodName'> & { events?: FunctionManifest['events'] }, sourceFile: string): string {
  const importClause = fn.exportName === 'default' ? 'ServiceClass' : `{ ${fn.exportName} as ServiceClass }`;
  // A route's function answers API Gateway (runtime/http.ts); any other gets the plain adapter and none of that code.
  const adapter = fn.events?.some((event) => event.kind === 'http') ? 'createHttpHandler' : 'createHandler';
  return [
    `import { ${adapter} } from ${JSON.stringify(RUNTIME_PACKAGE)};`,
    `import ${importClause} from ${JSON.stringify(sourceFile.split(path.sep).join('/'))};`,
    `export const ${HANDLER_EXPORT} = ${adapter}(ServiceClass, ${JSON.stringify(fn.methodName)});`,
    '',
  ].join('\n');
}
