import * as path from 'node:path';
import * as ts from 'typescript';
import { SOURCE_DECORATORS } from '../sources';

// Which identifiers are sparta's own? A user may alias imports
// (`import { Lambda as Fn }`), use a namespace (`sp.Lambda`), re-export
// sparta's decorators from a module of their own, or bind one to a const,
// and may have an unrelated `Lambda` of their own, so neither names nor file
// paths can tell. We resolve the module `sparta` from the project the way the
// compiler does, take the symbols it exports, and follow each callee's symbol
// (through aliases and const bindings) until it is one of those or cannot be
// followed further.

/** sparta's own decorators, and each event source's (sources/index.ts), by export name. */
export type SpartaDecoratorName = 'Service' | 'Resource' | 'Lambda' | 'Privilege' | 'DependsOn' | (string & {});
export type SpartaIntrinsicName = 'Ref' | 'GetAtt' | 'Sub';
/** Runtime helpers whose calls the analysis looks for (transformer/helper-calls.ts). */
export type SpartaHelperName = 'sendToConnection';
export type SpartaExportName = SpartaDecoratorName | SpartaIntrinsicName | SpartaHelperName;

const HELPERS = new Set<string>(['sendToConnection']);
const EXPORTS = new Set<string>(['Service', 'Resource', 'Lambda', 'Privilege', 'DependsOn', 'Api', ...SOURCE_DECORATORS, 'Ref', 'GetAtt', 'Sub', ...HELPERS]);

/** How many `const` hops (`const L = Lambda; const M = L`) we follow before giving up. */
const MAX_HOPS = 8;

export const SPARTA_MODULE = 'sparta';

export class SpartaSymbols {
  private readonly exports = new Map<ts.Symbol, SpartaExportName>();
  /** `'sparta'` specifiers in the project's files that the compiler could not resolve. */
  readonly unresolvedImports: ts.StringLiteral[] = [];

  constructor(
    program: ts.Program,
    projectDir: string,
    readonly checker: ts.TypeChecker = program.getTypeChecker(),
  ) {
    const options = program.getCompilerOptions();
    const containingFile = path.join(projectDir, '__sparta_resolution__.ts');
    // A CommonJS and an ES module file may reach different files (export conditions): accept both.
    const files = new Set<string>();
    for (const mode of [ts.ModuleKind.CommonJS, ts.ModuleKind.ESNext] as const) {
      const resolved = ts.resolveModuleName(SPARTA_MODULE, containingFile, options, ts.sys, undefined, undefined, mode).resolvedModule;
      if (resolved) files.add(resolved.resolvedFileName);
    }
    for (const file of files) {
      const sourceFile = program.getSourceFile(file);
      const moduleSymbol = sourceFile && this.checker.getSymbolAtLocation(sourceFile);
      if (moduleSymbol) this.addModule(moduleSymbol);
    }
    // Each import as the compiler resolved it, too: in a monorepo a file may
    // reach another copy of sparta than the project's folder does.
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
      for (const statement of sourceFile.statements) {
        const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
        if (!specifier || !ts.isStringLiteral(specifier) || specifier.text !== SPARTA_MODULE) continue;
        const moduleSymbol = this.checker.getSymbolAtLocation(specifier);
        if (moduleSymbol) this.addModule(moduleSymbol);
        else this.unresolvedImports.push(specifier);
      }
    }
  }

  private addModule(moduleSymbol: ts.Symbol): void {
    for (const exported of this.checker.getExportsOfModule(moduleSymbol)) {
      if (EXPORTS.has(exported.name)) this.exports.set(this.unalias(exported), exported.name as SpartaExportName);
    }
  }

  /** The sparta export that `callee` names, following aliases, namespaces and const bindings. */
  resolve(callee: ts.Expression): SpartaExportName | undefined {
    let expression: ts.Expression | undefined = callee;
    for (let hop = 0; expression && hop < MAX_HOPS; hop++) {
      const symbol = this.symbolOf(expression);
      if (!symbol) return undefined;
      const name = this.exports.get(symbol);
      if (name) return name;
      expression = constInitializer(symbol);
    }
    return undefined;
  }

  /**
   * For a decorator that is not sparta's: the sparta decorator it produces
   * when that can be seen but not followed statically (a factory function
   * that returns `Lambda(...)`, a const bound to `Lambda(...)`).
   */
  producedDecorator(decoratorExpression: ts.Expression): SpartaDecoratorName | undefined {
    const callee = ts.isCallExpression(decoratorExpression) ? decoratorExpression.expression : decoratorExpression;
    const symbol = this.symbolOf(callee);
    const declaration = symbol?.valueDeclaration;
    if (!declaration) return undefined;
    if (!ts.isCallExpression(decoratorExpression)) {
      // `const dec = Lambda(); @dec`
      const initializer = constInitializer(symbol);
      return initializer && ts.isCallExpression(initializer) ? this.decoratorName(initializer.expression) : undefined;
    }
    const body = functionBody(declaration);
    if (!body) return undefined;
    if (!ts.isBlock(body)) return ts.isCallExpression(skipOuter(body)) ? this.decoratorName((skipOuter(body) as ts.CallExpression).expression) : undefined;
    let found: SpartaDecoratorName | undefined;
    const visit = (node: ts.Node): void => {
      if (found || ts.isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) {
        const returned = skipOuter(node.expression);
        if (ts.isCallExpression(returned)) found = this.decoratorName(returned.expression);
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }

  private decoratorName(callee: ts.Expression): SpartaDecoratorName | undefined {
    const name = this.resolve(callee);
    return name && !isIntrinsicName(name) && !isHelperName(name) ? name : undefined;
  }

  private symbolOf(expression: ts.Expression): ts.Symbol | undefined {
    const inner = skipOuter(expression);
    const target = ts.isPropertyAccessExpression(inner) ? inner.name : inner;
    const symbol = this.checker.getSymbolAtLocation(target);
    return symbol && this.unalias(symbol);
  }

  private unalias(symbol: ts.Symbol): ts.Symbol {
    return symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }
}

/** `const L = <initializer>`: the initializer, for a const binding only (a `let` may change). */
function constInitializer(symbol: ts.Symbol | undefined): ts.Expression | undefined {
  const declaration = symbol?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  return skipOuter(declaration.initializer);
}

function functionBody(declaration: ts.Declaration): ts.ConciseBody | undefined {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration.body;
  const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer && skipOuter(declaration.initializer) : undefined;
  if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return initializer.body;
  return undefined;
}

/** Parentheses, `as`, `satisfies` and `!` do not change what an expression names. */
function skipOuter(expression: ts.Expression): ts.Expression {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isNonNullExpression(inner) || ts.isTypeAssertionExpression(inner)) {
    inner = inner.expression;
  }
  return inner;
}

export function isHelperName(name: string): name is SpartaHelperName {
  return HELPERS.has(name);
}

export function isIntrinsicName(name: string): name is SpartaIntrinsicName {
  return name === 'Ref' || name === 'GetAtt' || name === 'Sub';
}
