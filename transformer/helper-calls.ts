import * as ts from 'typescript';
import type { SpartaHelperName, SpartaSymbols } from './symbols';

// Which of sparta's runtime helpers a function calls, where a helper needs
// something of the template (sendToConnection: ManageConnections on the
// service's WebSocket API). A handler may call it itself or through the
// project's own functions and methods (a `notify` module): the walk follows
// every call whose callee is declared in a project file, once each, and
// stops at libraries (node_modules, declaration files), which cannot call
// sparta's helpers for the user.

/**
 * Whether any project file names `helper` at all: an import, an alias or a
 * re-export has to spell it. Most projects call none, and skip the walk
 * (measured on bench/explain's 200 functions: 5-40 ms of a 350-570 ms analysis).
 */
export function mayCall(program: ts.Program, helper: SpartaHelperName): boolean {
  return program.getSourceFiles().some((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && file.text.includes(helper));
}

/** Each call of `helper` reached from `body`, in the order found. */
export function helperCalls(symbols: SpartaSymbols, program: ts.Program, body: ts.Node, helper: SpartaHelperName): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visited = new Set<ts.Node>([body]);
  const queue: ts.Node[] = [body];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      if (ts.isCallExpression(node) && symbols.resolve(callee) === helper) found.push(node);
      else {
        const next = projectBody(symbols.checker, program, callee);
        if (next && !visited.has(next)) {
          visited.add(next);
          queue.push(next);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  while (queue.length > 0) ts.forEachChild(queue.shift()!, visit);
  return found;
}

/** The body of the function or method `callee` names, when a project file (not a library) declares it. */
function projectBody(checker: ts.TypeChecker, program: ts.Program, callee: ts.Expression): ts.Node | undefined {
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = checker.getSymbolAtLocation(target);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!declaration) return undefined;
  const sourceFile = declaration.getSourceFile();
  if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) return undefined;
  if ((ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isConstructorDeclaration(declaration)) && declaration.body) return declaration.body;
  if (ts.isClassDeclaration(declaration)) return declaration;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))) return declaration.initializer.body;
  return undefined;
}
