import type { CfnOutput, CfnResource, CfnValue } from '../cli/template/types';
import type { Expression, FunctionManifest, ResourceManifest, ServiceManifest, SourceLocation, StaticValue } from '../manifest/types';
import type { DiagnosticCode } from '../transformer/codes';
import type { DiscoveryDocument } from '../manifest/discovery';
import type { ApiManifest } from './api';

// What an event source is, whole, in one module: the options its decorator
// takes, how they are checked at compile time, the resources and privileges
// it adds to the template, how explain shows it and the sample events it
// delivers. Every stage reads sources through the registry (sources/index.ts)
// and never names one: adding a source is a module and a line in that table.
//
// A source module imports no compiler and no AWS client: the transformer
// hands it a checker, the template stage a context, so each part stays a pure
// function of its input.

export type Json = { [key: string]: StaticValue };

/** A manifest event without its location: what a source's validator returns. */
export type Validated<E> = E extends unknown ? Omit<E, 'source'> : never;

/** Every manifest event has a kind (which source owns it) and where its decorator stands. */
export interface SourceEvent {
  kind: string;
  source: SourceLocation;
}

/**
 * Reports problems at the decorator's argument, at the property named by
 * `key` when there is one (transformer/validate.ts implements it). Each reader
 * returns undefined when the value is absent or wrong, and reports the latter.
 */
export interface OptionChecker {
  fail(code: DiagnosticCode, key: string | undefined, message: string, hint?: string): void;
  warn(code: DiagnosticCode, key: string | undefined, message: string, hint?: string): void;
  object(value: StaticValue | undefined, what: string): Json | undefined;
  onlyKeys(value: Json, allowed: readonly string[], what: string): void;
  string(value: Json, key: string, what: string): string | undefined;
  boolean(value: Json, key: string, what: string): boolean | undefined;
  integer(value: Json, key: string, what: string, min: number, max: number, code?: DiagnosticCode, unit?: string): number | undefined;
  /** One of `allowed`. */
  oneOf<T extends string>(value: Json, key: string, what: string, allowed: readonly T[]): T | undefined;
  /** A non-empty list of strings. */
  stringList(value: Json, key: string, what: string): string[] | undefined;
  /** A JSON object (which may hold intrinsics). */
  json(value: Json, key: string, what: string): Json | undefined;
  /** An ARN or name string, or Ref/GetAtt/Sub. */
  expression(value: StaticValue | undefined, key: string, what: string): Expression | undefined;
  /** An ARN string must match `shape`; an intrinsic is left to CloudFormation. */
  arn(value: Expression, key: string, what: string, shape: { pattern: RegExp; kind: string; example: string }): Expression | undefined;
}

/** A decorator argument after the first (`@Http('GET /', { auth })`), with a checker that reports at it. */
export interface DecoratorArgument {
  value: StaticValue | undefined;
  check: OptionChecker;
}

/** What the service declares, for checks that need every `@Resource` (they run once all classes are read). */
export interface ServiceView {
  name: string;
  resources: ReadonlyArray<ResourceManifest>;
  /** Every function with its events: for checks across sources (two rules of one name). */
  functions: ReadonlyArray<FunctionManifest>;
  /** The API the service's routes share (`@Api`, or the default one). */
  api?: ApiManifest;
}

/** The function a source triggers, as the template stage names it. */
export interface SourceTarget {
  /** The function's logical ID. */
  functionId: string;
  /** The function's physical name: unique in the account, within 64 characters. */
  functionName: string;
  /** `GetAtt <Fn>.Arn`. */
  functionArn: CfnValue;
  /** The generated execution policy's logical ID, or undefined when `@Lambda({ role })` brings a role. */
  policyId: string | undefined;
}

export interface SourceContext {
  /** The source's own logical ID (`<Fn><idPart><hash of identity>`): name its resources from it. */
  id: string;
  /** The service (the stack's name): a physical name a source derives starts with it, as function names do. */
  service: string;
  target: SourceTarget;
  /** The stack's resources so far (every `@Resource` among them). A source may amend a declared one (S3 notifications). */
  resources: Record<string, CfnResource>;
  /** `AWS::Lambda::Permission` for `principal` to invoke the function from `sourceArn` (and `sourceAccount`). */
  permission(principal: string, scope: { sourceArn?: CfnValue; sourceAccount?: CfnValue }): CfnResource;
}

export interface SourceTemplate {
  /** New resources by logical ID (each starting with `context.id`). */
  resources: Record<string, CfnResource>;
  /** IAM statements the function's generated policy gains (a poller's reads). */
  privileges?: CfnValue[];
}

/** One event of a source with the function it triggers, as `shared` reads it. */
export interface SourceUse<E extends SourceEvent = SourceEvent> {
  event: E;
  fn: FunctionManifest;
  target: SourceTarget;
  /** The event's own logical ID (`context.id` of its `template`). */
  id: string;
}

export interface SharedContext {
  service: ServiceManifest;
  /** The stack so far: every function and every event's own resources are in it. */
  resources: Record<string, CfnResource>;
  /** `AWS::Lambda::Permission` for `principal` to invoke `target` from `sourceArn`, as `SourceContext.permission`. */
  permission(target: SourceTarget, principal: string, scope: { sourceArn?: CfnValue; sourceAccount?: CfnValue }): CfnResource;
}

export interface SharedTemplate {
  /** New resources by logical ID: names of the source's own choosing, fixed for the service (`HttpApi`). */
  resources: Record<string, CfnResource>;
  /** Stack outputs (an API's URL). */
  outputs?: Record<string, CfnOutput>;
}

/** The service-wide fields of the discovery document a source's shared part fills in. */
export type SharedDiscovery = Partial<Pick<DiscoveryDocument, 'api' | 'websocket'>>;

/** A resource as discover() shows it, written out: `ref` and each attribute a `Fn::Sub` text. */
export interface LiteralReference {
  logicalId: string;
  ref: string;
  attributes: Record<string, string>;
}

/** A sample event, as Lambda delivers it from this source. */
export interface SampleEvent<E extends SourceEvent = SourceEvent> {
  /** The decorator that delivers it, as README and `event --help` write it. */
  decorator: string;
  /** The matching type in @types/aws-lambda. */
  typeName: string;
  create(options: SampleOptions): unknown;
  /**
   * `sparta event <name> --function F`: the `values` (as `create` reads them)
   * that make this sample the one `event`, a manifest event of F's, delivers:
   * its real queue, topic, rule. Undefined when `event` does not deliver this
   * sample (a pattern rule, for the schedule sample). Absent: every event of
   * the source delivers the sample, which takes nothing from it.
   */
  sampleValues?(event: E, context: SampleContext): Record<string, string> | undefined;
}

/** What `sampleValues` may ask about the deployed stack, answered with the placeholders `sparta invoke` gives discover(). */
export interface SampleContext {
  /** The source's own logical ID (`context.id` of its `template`). */
  id: string;
  /** The service (the stack's name), as `SourceContext.service`: physical names a source derives start with it. */
  service: string;
  region: string;
  account: string;
  /** The function's deployed name, and its ARN as `sparta invoke` gives it (`context.invokedFunctionArn`): an SES action names it. */
  functionName: string;
  functionArn: string;
  /**
   * The value an expression has once deployed, as a local placeholder: a
   * string as written (an ARN or a name), `Ref`/`GetAtt`/`Sub` of a
   * `@Resource` or of a resource the function's sources create (the source's
   * own, `Ref(id)`, among them) as `discover()` sees it under `sparta invoke`
   * (`Ref` of a topic is `arn:aws:sns:<region>:123456789012:<stack>-<Id>`,
   * `GetAtt(Queue, 'Arn')` the queue's ARN, a name `<stack>-<Id>` where
   * CloudFormation generates one), pseudo parameters as the region, the
   * sample account and the stack name.
   */
  resolve(expression: StaticValue): string;
}

/** What a sample may be tailored with. */
export interface SampleOptions {
  region: string;
  account: string;
  /** The event's time. */
  now: Date;
  /** Source-specific values (`topic`, `subject`): each sample reads the ones it knows. */
  values: Readonly<Record<string, string | undefined>>;
}

/** One edge of explain's Mermaid chart: from a resource (or ARN), from a node of its own text, or from a node of the service that every edge naming it shares (its API). */
export type SourceEdge = { from: Expression; label: string } | { text: string; label: string } | { shared: string; label: string };

/** A row of explain's routes table: a route of one of the service's APIs. */
export interface SourceRoute {
  /** `HTTP API`, `REST API`, `WebSocket API`. */
  api: string;
  /** The API's stage: part of its URL (but HTTP's `$default`). */
  stage: string;
  /** An HTTP method, or `WEBSOCKET` for a WebSocket route key. */
  method: string;
  /** The path, or the WebSocket route key. */
  path: string;
  /** `none`, `iam`, `jwt <issuer>`. */
  auth: string;
}

export interface EventSource<E extends SourceEvent = SourceEvent> {
  /** The decorator's export name (`SQS`, `CloudWatchEvent`). */
  decorator: string;
  /** How many arguments the decorator takes (default 1): `@Http('GET /', { auth })` takes 2, the rest reach `validate` as `rest`. */
  arity?: number;
  /** The manifest kinds it produces; a kind belongs to one source. */
  kinds: ReadonlyArray<E['kind']>;
  /** The decorator's options, checked; undefined when unusable (the problems are reported). */
  validate(options: StaticValue | undefined, check: OptionChecker, rest?: ReadonlyArray<DecoratorArgument>): Validated<E> | undefined;
  /** Checks that need the service's resources (a table's stream, a bucket in the stack). */
  checkInService?(event: E, service: ServiceView, check: OptionChecker): void;
  /** The logical ID's middle part: `<Fn><idPart><h>`. */
  idPart: string;
  /**
   * What identifies the source: its hash names the source's resources. Leave
   * out what CloudFormation updates in place (a batch size), so editing it
   * updates rather than replaces.
   */
  identity(event: E): unknown;
  template(event: E, context: SourceContext): SourceTemplate;
  /**
   * What every event of this source in a service shares, built once from all
   * of them after each event's own `template`: the API that routes hang on,
   * its stage and deployment. Absent for sources whose events stand alone.
   */
  shared?(uses: ReadonlyArray<SourceUse<E>>, context: SharedContext): SharedTemplate;
  /**
   * What every function of a service with an event of this source learns
   * through discover(), as `Fn::Sub` texts of the shared resources and pseudo
   * parameters (the API's URLs). `sparta invoke` fills them with placeholders.
   */
  discovery?(service: ServiceManifest): SharedDiscovery;
  /** Values that name resources (Ref/GetAtt/Sub or ARNs): discover() lists every resource among them. */
  references(event: E): StaticValue[];
  /**
   * Resources discover() lists by values known without naming the resource
   * (`Fn::Sub` texts of pseudo parameters and literals): for one that names
   * the function in turn, where a reference back would close a cycle (a
   * bucket whose notifications call the function). `resources` is the stack.
   */
  literalReferences?(event: E, resources: Record<string, CfnResource>): LiteralReference[];
  /** The EVENTS cell of explain's table: short. */
  describe(event: E): string;
  /** What else the manifest holds, for explain's lines under the row (`batch size 10`). */
  details(event: E): string[];
  /** `service` tells a route which API it hangs on (an HTTP API without it). */
  edge(event: E, service?: Pick<ServiceView, 'api'>): SourceEdge;
  /** For a route of an API: its row in explain's routes table. */
  route?(event: E, service: Pick<ServiceView, 'api'>): SourceRoute;
  /** `sparta event <name>` samples. */
  samples: Record<string, SampleEvent<E>>;
  /** The types of @types/aws-lambda a handler of this source may take as its event (the main one first: hints name it). */
  eventTypes: readonly string[];
  /** When what the handler gets depends on the service (a route of an HTTP or a REST API): its types there, else `eventTypes`. */
  eventTypesIn?(service: Pick<ServiceView, 'api'>): readonly string[];
  /**
   * What the handler of `event` is held to beyond `eventTypes`: `constantEvent`
   * when the source hands it a constant instead of an event (a rule's
   * `input`: any parameter type will do), `batchResponse` when Lambda reads
   * the records that failed from its return value (`reportBatchItemFailures`).
   */
  handlerContract?(event: E): { constantEvent?: boolean; batchResponse?: boolean };
}
