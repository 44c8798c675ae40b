import * as ts from 'typescript';
import type { StaticValue } from '../manifest/types';
import { isIntrinsicName, type SpartaSymbols } from './symbols';

// Decorator arguments become infrastructure before any code runs, so they
// must be known at compile time. This is a small, deliberately strict
// evaluator: literals, object and array literals, `const` bindings to those
// (across imports), enum members, template strings without substitutions,
// and sparta's Ref/GetAtt/Sub. Everything else is rejected at the exact node.

/** A resource named by Ref/GetAtt/Sub, kept with its node for diagnostics. */
export interface Reference {
  logicalId: string;
  attribute?: string;
  node: ts.Node;
}

export class NotStaticError extends Error {
  constructor(
    readonly node: ts.Node,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const ALLOWED_VALUES =
  'literals, object and array literals, const variables bound to those, enum members, template strings without substitutions, and Ref/GetAtt/Sub';

/** `undefined` stands for an absent optional value (`{ description: undefined }`). */
export type Evaluated = StaticValue | undefined;

export class StaticEvaluator {
  readonly references: Reference[] = [];
  private readonly resolving = new Set<ts.Node>();

  private readonly checker: ts.TypeChecker;

  constructor(private readonly symbols: SpartaSymbols) {
    this.checker = symbols.checker;
  }

  evaluate(node: ts.Expression): Evaluated {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node)) {
      return this.evaluate(node.expression);
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
      const value = this.evaluate(node.operand);
      if (typeof value === 'number') return -value;
      throw new NotStaticError(node, 'only numbers can be negated here');
    }
    if (ts.isArrayLiteralExpression(node)) return this.array(node);
    if (ts.isObjectLiteralExpression(node)) return this.object(node);
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return this.member(node);
    if (ts.isCallExpression(node)) return this.intrinsic(node);
    if (ts.isTemplateExpression(node)) throw new NotStaticError(node, 'template strings with ${...} substitutions are not known at compile time');
    throw new NotStaticError(node, `\`${node.getText()}\` is not known at compile time`);
  }

  private array(node: ts.ArrayLiteralExpression): StaticValue[] {
    return node.elements.map((element) => {
      if (ts.isSpreadElement(element)) throw new NotStaticError(element, 'spread elements are not allowed');
      if (ts.isOmittedExpression(element)) throw new NotStaticError(element, 'holes in arrays are not allowed');
      const value = this.evaluate(element);
      if (value === undefined) throw new NotStaticError(element, '`undefined` is not allowed in a list');
      return value;
    });
  }

  private object(node: ts.ObjectLiteralExpression): { [key: string]: StaticValue } {
    const result: { [key: string]: StaticValue } = {};
    for (const property of node.properties) {
      let key: string;
      let value: Evaluated;
      if (ts.isPropertyAssignment(property)) {
        key = this.propertyName(property.name);
        value = this.evaluate(property.initializer);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        key = property.name.text;
        value = this.identifier(property.name);
      } else {
        throw new NotStaticError(property, 'only `key: value` properties are allowed (no spreads, methods or accessors)');
      }
      if (value !== undefined) result[key] = value;
    }
    this.rawIntrinsic(result, node);
    return result;
  }

  /** Intrinsics written out by hand (`{ Ref: 'Topic' }`) are checked like the helpers. */
  private rawIntrinsic(value: { [key: string]: StaticValue }, node: ts.Node): void {
    const keys = Object.keys(value);
    if (keys.length !== 1) return;
    const body = value[keys[0]];
    if (keys[0] === 'Ref' && typeof body === 'string') this.references.push({ logicalId: body, node });
    if (keys[0] === 'Fn::GetAtt') {
      const [logicalId, attribute] = typeof body === 'string' ? body.split(/\.(.*)/) : Array.isArray(body) ? body : [];
      if (typeof logicalId === 'string') this.references.push({ logicalId, attribute: typeof attribute === 'string' ? attribute : undefined, node });
    }
    if (keys[0] === 'Fn::Sub') {
      const [template, variables] = typeof body === 'string' ? [body, {}] : Array.isArray(body) ? body : [];
      if (typeof template !== 'string') return;
      const local = variables && typeof variables === 'object' ? Object.keys(variables) : [];
      for (const reference of subReferences(template)) {
        if (!local.includes(reference.logicalId)) this.references.push({ ...reference, node });
      }
    }
  }

  private propertyName(name: ts.PropertyName): string {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
      const key = this.evaluate(name.expression);
      if (typeof key === 'string' || typeof key === 'number') return String(key);
    }
    throw new NotStaticError(name, 'property names must be known at compile time');
  }

  private identifier(node: ts.Identifier): Evaluated {
    if (node.text === 'undefined') return undefined;
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const list = declaration.parent;
      if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) {
        throw new NotStaticError(node, `\`${node.text}\` is not a const: use \`const ${node.text} = ...\``);
      }
      if (this.resolving.has(declaration)) throw new NotStaticError(node, `\`${node.text}\` refers to itself`);
      this.resolving.add(declaration);
      try {
        return this.evaluate(declaration.initializer);
      } finally {
        this.resolving.delete(declaration);
      }
    }
    throw new NotStaticError(node, `\`${node.text}\` is not a const bound to a static value`);
  }

  private member(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): Evaluated {
    const symbol = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression);
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isEnumMember(declaration)) {
      const constant = this.checker.getConstantValue(declaration);
      if (constant !== undefined) return constant;
      throw new NotStaticError(node, `enum member \`${node.getText()}\` has no constant value`);
    }
    // A property of a const object literal: `LIMITS.memory`.
    const owner = this.evaluate(node.expression);
    const key = ts.isPropertyAccessExpression(node) ? node.name.text : this.evaluate(node.argumentExpression);
    if (owner && typeof owner === 'object' && (typeof key === 'string' || typeof key === 'number')) {
      const value = (owner as Record<string, StaticValue>)[String(key)];
      if (value !== undefined) return value;
    }
    throw new NotStaticError(node, `\`${node.getText()}\` is not known at compile time`);
  }

  private intrinsic(node: ts.CallExpression): StaticValue {
    const name = this.symbols.resolve(node.expression);
    if (!name || !isIntrinsicName(name)) {
      throw new NotStaticError(node, `calls are not known at compile time (only sparta's Ref, GetAtt and Sub are)`);
    }
    const args = node.arguments.map((argument) => {
      const value = this.evaluate(argument);
      if (typeof value !== 'string') throw new NotStaticError(argument, `${name} takes string arguments`);
      return value;
    });
    const arity = name === 'GetAtt' ? 2 : 1;
    if (args.length !== arity) throw new NotStaticError(node, `${name} takes ${arity} argument${arity > 1 ? 's' : ''}`);
    if (name === 'Ref') {
      this.references.push({ logicalId: args[0], node: node.arguments[0] });
      return { Ref: args[0] };
    }
    if (name === 'GetAtt') {
      this.references.push({ logicalId: args[0], attribute: args[1], node: node.arguments[0] });
      return { 'Fn::GetAtt': [args[0], args[1]] };
    }
    for (const reference of subReferences(args[0])) this.references.push({ ...reference, node: node.arguments[0] });
    return { 'Fn::Sub': args[0] };
  }
}

/** The `${Id}` and `${Id.Attr}` names in an Fn::Sub template; `${!x}` is a literal. */
export function subReferences(template: string): { logicalId: string; attribute?: string }[] {
  const found: { logicalId: string; attribute?: string }[] = [];
  for (const match of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
    const [logicalId, ...rest] = match[1].trim().split('.');
    found.push(rest.length > 0 ? { logicalId, attribute: rest.join('.') } : { logicalId });
  }
  return found;
}
