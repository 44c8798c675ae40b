import * as ts from 'typescript';
import type { EventSourceManifest } from '../manifest/types';
import { sourceOf } from '../sources';
import type { ServiceView } from '../sources/types';
import { DiagnosticBag, DiagnosticCode } from './diagnostics';

// The event a handler takes, checked against what its sources deliver, and
// the response a batch source that reports item failures expects.
//
// `sparta explain` analyses without the standard library (analyzeProject:
// noLib) while tspc has all of it, and both must report the same. So nothing
// here asks for a type: it reads the annotations' syntax and resolves only
// the symbols they name (through imports and type aliases) to see whether
// @types/aws-lambda declares them. What cannot be told that way (a lib type,
// a type of another package, a conditional type) is accepted: a false alarm
// would stop a build that is right.

/** A file of @types/aws-lambda: its declarations count by their name. */
const AWS_LAMBDA_FILE = /[\\/]node_modules[\\/]@types[\\/]aws-lambda[\\/]/;

/** What Lambda reads `batchItemFailures` from. */
const BATCH_RESPONSES: ReadonlySet<string> = new Set(['SQSBatchResponse', 'DynamoDBBatchResponse', 'KinesisStreamBatchResponse']);

const BATCH_ITEM_FAILURES = 'batchItemFailures';

/** How many of the user's own type aliases (`type A = B`) we follow before giving up. */
const MAX_HOPS = 8;

/** What a type reference names. */
type Named =
  /** Declared by @types/aws-lambda, under its declared name (whatever the import calls it). */
  | { kind: 'aws'; name: string; declaration: ts.Declaration }
  /** The user's own type alias: what it stands for. */
  | { kind: 'alias'; type: ts.TypeNode }
  /** The user's own interface, class, enum or type parameter. */
  | { kind: 'own'; declaration: ts.Declaration }
  /** Unresolved or declared elsewhere (the standard library, another package): unknown here. */
  | { kind: 'external'; name: string };

/**
 * Checks a decorated method's event parameter against its sources, and its
 * return type when a source reports batch item failures. `events` are the
 * function's validated manifest events.
 */
export function checkEventTypes(method: ts.MethodDeclaration, functionId: string, events: readonly EventSourceManifest[], checker: ts.TypeChecker, bag: DiagnosticBag, service?: Pick<ServiceView, 'api'>): void {
  if (events.length === 0) return;
  checkEventParameter(method, functionId, events, checker, bag, service ?? {});
  checkBatchResponse(method, functionId, events, checker, bag);
}

function checkEventParameter(method: ts.MethodDeclaration, functionId: string, events: readonly EventSourceManifest[], checker: ts.TypeChecker, bag: DiagnosticBag, service: Pick<ServiceView, 'api'>): void {
  // A source that hands the function a constant (a rule's `input`) delivers that, whatever it is.
  if (events.some((event) => sourceOf(event).handlerContract?.(event).constantEvent)) return;
  const parameter = method.parameters.find((candidate) => !(ts.isIdentifier(candidate.name) && candidate.name.text === 'this'));
  if (!parameter?.type) return;
  const reading: EventTypeReading = { names: [], open: false, anything: false };
  readEventType(parameter.type, checker, reading, 0);
  if (reading.anything || reading.names.length === 0) return;

  // A source's types where the service puts it (a route of a REST API gets APIGatewayProxyEvent).
  const sources = [...new Map(events.map((event) => [sourceOf(event).decorator, sourceOf(event)])).values()].map((source) => ({
    decorator: source.decorator,
    eventTypes: source.eventTypesIn?.(service) ?? source.eventTypes,
  }));
  const expected = new Set(sources.flatMap((source) => source.eventTypes));
  const written = [...new Set(reading.names.map((member) => member.name))];
  // A type counts as what it is declared from, too: aws-lambda's S3 EventBridge
  // events extend EventBridgeEvent, so a pattern rule may take them.
  const delivered = (member: AwsMember, types: ReadonlySet<string>) => member.lineage.some((name) => types.has(name));
  const wrong = [...new Set(reading.names.filter((member) => !delivered(member, expected)).map((member) => member.name))];
  // A union written wholly in aws-lambda types must cover every source, or
  // some events arrive typed as what they are not. With a type of the user's
  // own in the union we cannot tell what it covers, so we do not ask.
  const uncovered = reading.open ? [] : sources.filter((source) => !reading.names.some((member) => delivered(member, new Set(source.eventTypes))));
  if (wrong.length === 0 && uncovered.length === 0) return;

  const right = written.filter((name) => !wrong.includes(name));
  const suggestion = [...right, ...uncovered.map((source) => source.eventTypes[0])].join(' | ');
  const delivers = sources.map((source) => `@${source.decorator} delivers ${source.eventTypes.join(' or ')}`).join(', ');
  const message =
    wrong.length > 0
      ? `the event of ${functionId} is typed ${written.join(' | ')}, but ${delivers}`
      : `the event of ${functionId} is typed ${written.join(' | ')}, which leaves out what ${uncovered.map((source) => `@${source.decorator}`).join(' and ')} deliver${uncovered.length === 1 ? 's' : ''}: ${delivers}`;
  bag.report(DiagnosticCode.EVENT_TYPE_MISMATCH, parameter, message, `type it ${suggestion} (from 'aws-lambda'), or unknown`);
}

interface AwsMember {
  /** The name as declared in @types/aws-lambda. */
  name: string;
  /** It and what it is declared from there (`ScheduledEvent`, `EventBridgeEvent`). */
  lineage: string[];
}

interface EventTypeReading {
  /** The aws-lambda types the annotation names (a union's members). */
  names: AwsMember[];
  /** Some member is a type of the user's own (or one we cannot read): it may hold any event. */
  open: boolean;
  /** `any` or `unknown`: nothing to check. */
  anything: boolean;
}

function readEventType(node: ts.TypeNode, checker: ts.TypeChecker, reading: EventTypeReading, hops: number): void {
  if (ts.isParenthesizedTypeNode(node)) return readEventType(node.type, checker, reading, hops);
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) {
    for (const member of node.types) readEventType(member, checker, reading, hops);
    return;
  }
  switch (node.kind) {
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      reading.anything = true;
      return;
    // `SQSEvent | undefined` still says what the event is.
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.VoidKeyword:
      return;
  }
  if (ts.isLiteralTypeNode(node) && node.literal.kind === ts.SyntaxKind.NullKeyword) return;
  const named = nameOf(node, checker);
  if (named?.kind === 'aws') reading.names.push({ name: named.name, lineage: [named.name, ...basesOf(named.declaration, checker, 0)] });
  else if (named?.kind === 'alias' && hops < MAX_HOPS) readEventType(named.type, checker, reading, hops + 1);
  else reading.open = true;
}

/** The aws-lambda types a declaration there extends (an interface) or stands for (an alias), through their own. */
function basesOf(declaration: ts.Declaration, checker: ts.TypeChecker, hops: number): string[] {
  if (hops >= MAX_HOPS) return [];
  const references: ts.Node[] = [];
  if (ts.isInterfaceDeclaration(declaration)) {
    for (const clause of declaration.heritageClauses ?? []) references.push(...clause.types.map((base) => base.expression));
  } else if (ts.isTypeAliasDeclaration(declaration)) {
    const collect = (node: ts.TypeNode): void => {
      if (ts.isParenthesizedTypeNode(node)) collect(node.type);
      else if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) node.types.forEach(collect);
      else if (ts.isTypeReferenceNode(node)) references.push(node.typeName);
    };
    collect(declaration.type);
  }
  const bases: string[] = [];
  for (const reference of references) {
    const identifier = ts.isQualifiedName(reference) ? reference.right : ts.isPropertyAccessExpression(reference) ? reference.name : reference;
    let symbol = ts.isIdentifier(identifier) ? checker.getSymbolAtLocation(identifier) : undefined;
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const base = symbol?.declarations?.[0];
    if (!symbol || !base || !AWS_LAMBDA_FILE.test(base.getSourceFile().fileName)) continue;
    bases.push(symbol.name, ...basesOf(base, checker, hops + 1));
  }
  return bases;
}

function checkBatchResponse(method: ts.MethodDeclaration, functionId: string, events: readonly EventSourceManifest[], checker: ts.TypeChecker, bag: DiagnosticBag): void {
  const reporting = events.find((event) => sourceOf(event).handlerContract?.(event).batchResponse);
  if (!reporting) return;
  const decorator = `@${sourceOf(reporting).decorator}`;
  const hint = `return the records that failed as { batchItemFailures: [{ itemIdentifier }] } (processBatch from 'sparta' builds it) and declare Promise<SQSBatchResponse> from 'aws-lambda'`;
  if (method.type) {
    if (mayBeBatchResponse(method.type, checker, 0)) return;
    bag.report(
      DiagnosticCode.BATCH_RESPONSE_TYPE,
      method.type,
      `${functionId} reports batch item failures (reportBatchItemFailures on ${decorator}), but its return type ${method.type.getText()} cannot be a batch response: Lambda would not learn which records failed`,
      hint,
    );
    return;
  }
  if (!method.body || returnedExpressions(method.body).some((expression) => mayReturnBatchResponse(expression, checker))) return;
  bag.report(
    DiagnosticCode.BATCH_RESPONSE_TYPE,
    method.name,
    `${functionId} reports batch item failures (reportBatchItemFailures on ${decorator}), but it returns no batch response: Lambda would not learn which records failed`,
    hint,
  );
}

/** False only when the annotation surely excludes an object with `batchItemFailures`. */
function mayBeBatchResponse(node: ts.TypeNode, checker: ts.TypeChecker, hops: number): boolean {
  if (ts.isParenthesizedTypeNode(node)) return mayBeBatchResponse(node.type, checker, hops);
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.some((member) => mayBeBatchResponse(member, checker, hops));
  switch (node.kind) {
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.NeverKeyword:
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.BigIntKeyword:
    case ts.SyntaxKind.SymbolKeyword:
      return false;
  }
  if (ts.isLiteralTypeNode(node) || ts.isArrayTypeNode(node) || ts.isTupleTypeNode(node) || ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node) || ts.isTemplateLiteralTypeNode(node)) {
    return false;
  }
  if (ts.isTypeLiteralNode(node)) return membersMayHoldFailures(node.members);
  const named = ts.isTypeReferenceNode(node) ? nameOf(node, checker) : undefined;
  if (!named) return true;
  switch (named.kind) {
    case 'aws':
      return BATCH_RESPONSES.has(named.name);
    case 'alias':
      return hops >= MAX_HOPS || mayBeBatchResponse(named.type, checker, hops + 1);
    case 'own': {
      const declaration = named.declaration;
      if (ts.isEnumDeclaration(declaration)) return false;
      if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
        return (declaration.heritageClauses?.length ?? 0) > 0 || membersMayHoldFailures(declaration.members);
      }
      return true;
    }
    case 'external': {
      // Promise is the standard library's, unresolved under noLib: read what it holds.
      const awaited = (named.name === 'Promise' || named.name === 'PromiseLike') && (node as ts.TypeReferenceNode).typeArguments?.[0];
      return awaited ? mayBeBatchResponse(awaited, checker, hops) : true;
    }
  }
}

function membersMayHoldFailures(members: ts.NodeArray<ts.TypeElement | ts.ClassElement>): boolean {
  return members.some(
    (member) =>
      ts.isIndexSignatureDeclaration(member) ||
      ((ts.isPropertySignature(member) || ts.isPropertyDeclaration(member) || ts.isGetAccessor(member)) && propertyName(member.name) === BATCH_ITEM_FAILURES),
  );
}

/** What a method without a return type returns, outside nested functions and classes. */
function returnedExpressions(body: ts.Block): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** False only for an expression that surely is no batch response (a literal, an object without `batchItemFailures`). */
function mayReturnBatchResponse(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAwaitExpression(inner)) inner = inner.expression;
  if ((ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) && !isConstType(inner.type)) return mayBeBatchResponse(inner.type, checker, 0);
  if (ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) return mayReturnBatchResponse(inner.expression, checker);
  if (ts.isObjectLiteralExpression(inner)) {
    return inner.properties.some((property) => ts.isSpreadAssignment(property) || (property.name !== undefined && propertyName(property.name) === BATCH_ITEM_FAILURES));
  }
  if (ts.isIdentifier(inner) && inner.text === 'undefined') return false;
  return !(
    ts.isStringLiteralLike(inner) ||
    ts.isNumericLiteral(inner) ||
    ts.isBigIntLiteral(inner) ||
    ts.isTemplateExpression(inner) ||
    ts.isArrayLiteralExpression(inner) ||
    ts.isVoidExpression(inner) ||
    inner.kind === ts.SyntaxKind.TrueKeyword ||
    inner.kind === ts.SyntaxKind.FalseKeyword ||
    inner.kind === ts.SyntaxKind.NullKeyword
  );
}

function isConstType(node: ts.TypeNode): boolean {
  return ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'const';
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

/** The declaration a type reference names, through imports, namespaces and `import('aws-lambda').X`. */
function nameOf(node: ts.TypeNode, checker: ts.TypeChecker): Named | undefined {
  let identifier: ts.Identifier | undefined;
  if (ts.isTypeReferenceNode(node)) identifier = ts.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName;
  else if (ts.isImportTypeNode(node) && node.qualifier) identifier = ts.isQualifiedName(node.qualifier) ? node.qualifier.right : node.qualifier;
  if (!identifier) return undefined;
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.declarations?.[0];
  if (!symbol || !declaration) return { kind: 'external', name: identifier.text };
  const file = declaration.getSourceFile();
  if (AWS_LAMBDA_FILE.test(file.fileName)) return { kind: 'aws', name: symbol.name, declaration };
  if (file.isDeclarationFile) return { kind: 'external', name: symbol.name };
  if (ts.isTypeAliasDeclaration(declaration)) return { kind: 'alias', type: declaration.type };
  return { kind: 'own', declaration };
}
