import * as ts from 'typescript';
import type { StaticValue } from '../manifest/types';
import { DiagnosticBag, DiagnosticCode } from './diagnostics';
import { ALLOWED_VALUES, NotStaticError, Reference, StaticEvaluator } from './evaluate';
import { sourceOfDecorator } from '../sources';
import { helperCalls, mayCall } from './helper-calls';
import { isHelperName, SPARTA_MODULE, SpartaDecoratorName, SpartaSymbols } from './symbols';

// The collect phase: find every class and method that carries a sparta
// decorator and evaluate the decorator arguments. No rules are applied here
// beyond "is it static"; validate.ts and analyze.ts judge the values.

export interface DecoratorUse {
  name: SpartaDecoratorName;
  call: ts.CallExpression;
  /** Evaluated arguments; `undefined` where an argument was not static (already reported). */
  args: (StaticValue | undefined)[];
  /** False when some argument could not be evaluated. */
  complete: boolean;
  references: Reference[];
}

export interface CollectedMethod {
  node: ts.ClassElement;
  name: string;
  isStatic: boolean;
  isMethod: boolean;
  decorators: DecoratorUse[];
  /** Calls of sendToConnection the method makes, itself or through the project's functions. */
  connectionSends: ts.CallExpression[];
}

export interface CollectedClass {
  node: ts.ClassDeclaration;
  name: string;
  /** The module export that names the class, or undefined when it is not exported. */
  exportName: string | undefined;
  decorators: DecoratorUse[];
  methods: CollectedMethod[];
}

export function collectClasses(program: ts.Program, bag: DiagnosticBag, projectDir: string): CollectedClass[] {
  const symbols = new SpartaSymbols(program, projectDir);
  const classes: CollectedClass[] = [];
  const sendsToConnections = mayCall(program, 'sendToConnection');
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const collected = collectClass(symbols, sendsToConnections ? program : undefined, node, bag);
        if (collected) classes.push(collected);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  reportUnresolvedImports(symbols.unresolvedImports, bag);
  const first = classes[0]?.decorators[0] ?? classes[0]?.methods[0]?.decorators[0];
  if (first && !program.getCompilerOptions().experimentalDecorators) {
    // Without it TypeScript emits standard decorators, which call sparta's
    // (legacy) ones with other arguments: the functions would break at run time.
    bag.report(
      DiagnosticCode.LEGACY_DECORATORS_OFF,
      first.call,
      `sparta's decorators need TypeScript's experimentalDecorators, and this tsconfig does not set it`,
      'set "experimentalDecorators": true in compilerOptions of the tsconfig',
    );
  }
  return classes;
}

/** `import ... from 'sparta'` that module resolution cannot follow: said once a file, at the import. */
function reportUnresolvedImports(specifiers: ts.StringLiteral[], bag: DiagnosticBag): void {
  const files = new Set<ts.SourceFile>();
  for (const specifier of specifiers) {
    if (files.has(specifier.getSourceFile())) continue;
    files.add(specifier.getSourceFile());
    bag.report(
      DiagnosticCode.SPARTA_NOT_RESOLVED,
      specifier,
      `module '${SPARTA_MODULE}' cannot be found with this tsconfig's module resolution, so no decorator can be read`,
      `install it (npm i ${SPARTA_MODULE}) and use "moduleResolution": "node16", "nodenext" or "bundler" in the tsconfig`,
    );
  }
}

/** `program` only when some file names sendToConnection: the methods' calls of it are looked for. */
function collectClass(symbols: SpartaSymbols, program: ts.Program | undefined, node: ts.ClassDeclaration, bag: DiagnosticBag): CollectedClass | undefined {
  const checker = symbols.checker;
  const decorators = spartaDecorators(symbols, node, bag);
  const methods: CollectedMethod[] = [];
  for (const member of node.members) {
    const memberDecorators = spartaDecorators(symbols, member, bag);
    if (memberDecorators.length === 0) continue;
    methods.push({
      node: member,
      name: member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : member.name?.getText() ?? '(anonymous)',
      isStatic: ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Static ? true : false,
      isMethod: ts.isMethodDeclaration(member),
      decorators: memberDecorators,
      connectionSends: program && ts.isMethodDeclaration(member) && member.body ? helperCalls(symbols, program, member.body, 'sendToConnection') : [],
    });
  }
  if (decorators.length === 0 && methods.length === 0) return undefined;
  return { node, name: node.name?.text ?? 'default', exportName: exportNameOf(checker, node), decorators, methods };
}

function spartaDecorators(symbols: SpartaSymbols, node: ts.Node, bag: DiagnosticBag): DecoratorUse[] {
  if (!ts.canHaveDecorators(node)) return [];
  const uses: DecoratorUse[] = [];
  for (const decorator of ts.getDecorators(node) ?? []) {
    const expression = decorator.expression;
    const callee = ts.isCallExpression(expression) ? expression.expression : expression;
    const name = symbols.resolve(callee);
    if (!name) {
      const produced = symbols.producedDecorator(expression);
      if (produced) {
        bag.report(
          DiagnosticCode.UNFOLLOWABLE_DECORATOR,
          decorator,
          `@${expression.getText()} produces sparta's @${produced}, but its options cannot be read at compile time through ${ts.isCallExpression(expression) ? 'a function call' : 'a value made by a call'}`,
          `write @${produced}(...) on the ${ts.isClassDeclaration(node) ? 'class' : 'method'} itself; share options through a const: @${produced}(OPTIONS)`,
        );
      }
      continue;
    }
    if (name === 'Ref' || name === 'GetAtt' || name === 'Sub' || isHelperName(name)) continue;
    if (!ts.isCallExpression(expression)) {
      bag.report(DiagnosticCode.INVALID_OPTION, decorator, `@${name} is a decorator factory: call it`, `write @${name}(${name === 'Lambda' ? '' : '...'})`);
      continue;
    }
    const most = mostArguments(name);
    if (most !== undefined && expression.arguments.length > most) {
      // TypeScript's own check (TS2554) runs only in a type-checked build, not in `explain` or under @ts-ignore.
      bag.report(
        DiagnosticCode.INVALID_OPTION,
        expression.arguments[most],
        `@${name} takes ${most === 1 ? 'one options object' : `${most} arguments`}; this argument would be dropped`,
        name === 'CloudWatchEvent' ? 'write name, description and input inside the one object: @CloudWatchEvent({ schedule, name, description, input })' : `pass everything in the ${most === 1 ? 'one object' : `${most} arguments`}`,
      );
    }
    const evaluator = new StaticEvaluator(symbols);
    let complete = true;
    const args = expression.arguments.map((argument) => {
      try {
        return evaluator.evaluate(argument);
      } catch (error) {
        if (!(error instanceof NotStaticError)) throw error;
        bag.report(DiagnosticCode.NOT_STATIC, error.node, `@${name} arguments must be known at compile time: ${error.reason}`, `allowed are ${ALLOWED_VALUES}`);
        complete = false;
        return undefined;
      }
    });
    uses.push({ name: name as SpartaDecoratorName, call: expression, args, complete, references: evaluator.references });
  }
  return uses;
}

/** How many arguments a decorator reads; any further one would be silently dropped. `@DependsOn` takes any number, a source one object. */
function mostArguments(name: SpartaDecoratorName): number | undefined {
  if (name === 'DependsOn') return undefined;
  return name === 'Resource' ? 2 : (sourceOfDecorator(name)?.arity ?? 1);
}

function exportNameOf(checker: ts.TypeChecker, node: ts.ClassDeclaration): string | undefined {
  const moduleSymbol = checker.getSymbolAtLocation(node.getSourceFile());
  const classSymbol = node.name ? checker.getSymbolAtLocation(node.name) : undefined;
  if (!moduleSymbol) return undefined;
  const names: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (target === classSymbol || (!classSymbol && exported.declarations?.includes(node))) names.push(exported.name);
  }
  if (node.name && names.includes(node.name.text)) return node.name.text;
  return names.sort()[0];
}
