import * as path from 'node:path';
import * as ts from 'typescript';
import {
  MANIFEST_VERSION,
  type EventSourceManifest,
  type FunctionManifest,
  type Manifest,
  type PrivilegeManifest,
  type ResourceManifest,
  type ServiceClassManifest,
  type ServiceManifest,
  type ServiceOptions,
  type SourceLocation,
} from '../manifest/types';
import { CollectedClass, CollectedMethod, collectClasses, DecoratorUse } from './collect';
import { DiagnosticBag, DiagnosticCode, relativeFile, SpartaDiagnostic } from './diagnostics';
import { checkEventTypes } from './event-type';
import type { Reference } from './evaluate';
import { readTsconfig } from './tsconfig';
import { analysisHost } from './declarations';
import { STAGE_PARAMETER } from '../manifest/template-names';
import { sourceOfDecorator } from '../sources';
import type { EventSource } from '../sources/types';
import { checkSameApi, defaultApi, validateApi } from '../sources/http';
import { isBefore } from '../sources/names';
import { connectionSenderPrivilege, hasWebSocketApi, reportSendWithoutApi } from '../sources/websocket';
import { ArgumentSite, Checker, validateLambda, validateLogicalId, validatePrivilege, validateResource, validateService } from './validate';

// The analysis: one pass over a TypeScript Program that yields the manifest
// or diagnostics. Both `sparta explain` (through analyzeProject) and the
// ts-patch plugin (transformer/index.ts) call analyzeProgram, so the two
// always produce the same manifest.

export interface AnalysisResult {
  /** Undefined when there are errors (warnings do not prevent it). */
  manifest: Manifest | undefined;
  /** Errors and warnings, in source order. */
  diagnostics: SpartaDiagnostic[];
  projectDir: string;
}

export function analyzeProgram(program: ts.Program, projectDir = projectDirOf(program)): AnalysisResult {
  const bag = new DiagnosticBag(projectDir);
  const classes = collectClasses(program, bag, projectDir);
  const services = new ServiceAssembler(bag, projectDir, program.getTypeChecker());
  for (const cls of classes) services.add(cls);
  const manifest: Manifest = { manifestVersion: MANIFEST_VERSION, services: services.finish() };
  return { manifest: bag.hasErrors ? undefined : manifest, diagnostics: bag.sorted(), projectDir };
}

/** The folder of the tsconfig the program was built from: manifest paths are relative to it. */
export function projectDirOf(program: ts.Program): string {
  const configFile = program.getCompilerOptions().configFilePath;
  return typeof configFile === 'string' ? path.dirname(configFile) : program.getCurrentDirectory();
}

export interface ProjectAnalysis extends AnalysisResult {
  /** Problems reading the tsconfig itself (missing file, syntax errors, unknown options), with file:line where known. */
  configErrors: string[];
}

/** Reads a tsconfig and analyzes its program, without emitting anything. */
export function analyzeProject(tsconfigPath: string): ProjectAnalysis {
  const projectDir = path.dirname(path.resolve(tsconfigPath));
  const { parsed, errors: configErrors } = readTsconfig(tsconfigPath);
  if (!parsed || configErrors.length > 0) return { manifest: undefined, diagnostics: [], projectDir, configErrors };
  // The analysis follows imports and reads constants; it never needs the
  // standard library or global type packages, which are most of what a
  // program parses (measured: examples/hello 1.0 s -> 0.08 s, same manifest;
  // the parity test compares it with tspc's full program).
  // Nor most installed packages' declarations (transformer/declarations.ts).
  const options: ts.CompilerOptions = { ...parsed.options, noLib: true, types: [], noEmit: true };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options, projectReferences: parsed.projectReferences, host: analysisHost(options) });
  return { ...analyzeProgram(program, projectDir), configErrors };
}

/** Builds services from classes, merging classes that share a service name. */
class ServiceAssembler {
  private readonly services = new Map<string, { manifest: ServiceManifest; options: ServiceOptions; references: Reference[] }>();
  /** Source checks that need every @Resource of the service: they run in finish(). */
  private readonly serviceChecks: { service: string; source: EventSource<EventSourceManifest>; event: EventSourceManifest; checker: Checker }[] = [];
  /** Event types are checked once the service is whole: a route's type depends on the service's API. */
  private readonly eventTypeChecks: { service: string; method: ts.MethodDeclaration; fn: FunctionManifest }[] = [];
  /** Functions that call sendToConnection: granted once the service's routes are known. */
  private readonly connectionSenders: { service: string; fn: FunctionManifest; call: ts.CallExpression }[] = [];

  constructor(
    private readonly bag: DiagnosticBag,
    private readonly projectDir: string,
    private readonly checker: ts.TypeChecker,
  ) {}

  add(cls: CollectedClass): void {
    const serviceUse = cls.decorators.find((use) => use.name === 'Service');
    const lambdaUses = cls.methods.flatMap((method) => method.decorators.filter((use) => use.name === 'Lambda'));
    if (!serviceUse) {
      for (const use of [...cls.decorators, ...lambdaUses]) {
        this.bag.report(DiagnosticCode.OUTSIDE_SERVICE, use.call, `@${use.name} is on class ${cls.name}, which has no @Service`, `add @Service({ name: '...' }) to class ${cls.name}`);
      }
      for (const method of cls.methods) this.checkMethodShape(cls, method);
      return;
    }
    const options = serviceUse.complete ? validateService(serviceUse.args[0], this.site(serviceUse)) : undefined;
    if (!options) {
      // Still check the methods, so one run reports every problem; nothing joins the manifest.
      for (const method of cls.methods) if (this.checkMethodShape(cls, method)) this.buildFunction(cls, method, cls.name, []);
      return;
    }
    if (cls.exportName === undefined) {
      this.bag.report(DiagnosticCode.CLASS_NOT_EXPORTED, cls.node.name ?? cls.node, `class ${cls.name} must be exported so its functions can be bundled`, `write export class ${cls.name}`);
    }
    const service = this.service(options, serviceUse);
    service.manifest.classes.push({ className: cls.name, exportName: cls.exportName ?? cls.name, source: this.location(cls.node.name ?? cls.node) });
    for (const use of cls.decorators) {
      if (use.name === 'Resource') this.addResource(service, use);
      if (use.name === 'Api') this.addApi(service.manifest, use);
    }
    for (const method of cls.methods) {
      const fn = this.checkMethodShape(cls, method) ? this.buildFunction(cls, method, options.name, service.references) : undefined;
      if (!fn) continue;
      withClassPackaging(fn, options);
      const duplicate = service.manifest.functions.find((existing) => existing.id === fn.id);
      if (duplicate) {
        this.bag.report(DiagnosticCode.DUPLICATE_FUNCTION, method.node.name ?? method.node, `function ${fn.id} is declared twice in service ${options.name} (also at ${duplicate.source.file}:${duplicate.source.line})`, 'rename the class or the method');
        continue;
      }
      service.manifest.functions.push(fn);
    }
  }

  private service(options: ServiceOptions, use: DecoratorUse) {
    const existing = this.services.get(options.name);
    if (!existing) {
      const manifest: ServiceManifest = {
        name: options.name,
        ...(options.description !== undefined && { description: options.description }),
        ...(options.tags !== undefined && { tags: options.tags }),
        ...(options.stages !== undefined && { stages: options.stages }),
        classes: [],
        resources: [],
        functions: [],
      };
      const created = { manifest, options, references: [] as Reference[] };
      this.services.set(options.name, created);
      return created;
    }
    for (const key of ['description', 'tags', 'stages'] as const) {
      const before = existing.options[key];
      const now = options[key];
      if (before !== undefined && now !== undefined && JSON.stringify(before) !== JSON.stringify(now)) {
        this.bag.report(DiagnosticCode.CONFLICTING_SERVICE, use.call, `service ${options.name} is declared again with a different ${key}`, `give ${key} once, or the same value on every class of the service`);
      }
      if (before === undefined && now !== undefined) {
        existing.options[key] = now as never;
        existing.manifest[key] = now as never;
      }
    }
    return existing;
  }

  private addResource(service: { manifest: ServiceManifest; references: Reference[] }, use: DecoratorUse): void {
    if (!use.complete) return;
    const logicalId = validateLogicalId(use.args[0], { ...this.site(use), node: use.call.arguments[0] ?? use.call });
    const declaration = validateResource(use.args[1], { ...this.site(use), node: use.call.arguments[1] ?? use.call });
    if (!logicalId || !declaration) return;
    const existing = service.manifest.resources.find((resource) => resource.logicalId === logicalId);
    if (existing) {
      this.bag.report(DiagnosticCode.DUPLICATE_RESOURCE, use.call.arguments[0], `resource ${logicalId} is declared twice in service ${service.manifest.name} (also at ${existing.source.file}:${existing.source.line})`, 'give each @Resource its own logical ID');
      return;
    }
    service.manifest.resources.push({ logicalId, declaration, source: this.location(use.call) });
    service.references.push(...use.references);
    const dependsOn = declaration.DependsOn === undefined ? [] : ([] as string[]).concat(declaration.DependsOn);
    for (const id of dependsOn) service.references.push({ logicalId: id, node: use.call.arguments[1] });
  }

  private addApi(service: ServiceManifest, use: DecoratorUse): void {
    if (!use.complete) return;
    const checker = new Checker(this.site(use));
    const api = validateApi(use.args[0], checker);
    if (!api) return;
    if (service.api) checkSameApi(service.api, api, service.name, checker);
    else service.api = { ...api, source: this.location(use.call) };
  }

  /** Reports decorators on the wrong kind of member; true when a function can be built. */
  private checkMethodShape(cls: CollectedClass, method: CollectedMethod): boolean {
    const first = method.decorators[0];
    const lambda = method.decorators.find((use) => use.name === 'Lambda');
    if (!method.isMethod) {
      this.bag.report(DiagnosticCode.NOT_A_METHOD, first.call, `@${first.name} is on ${cls.name}.${method.name}, which is not a method`, 'sparta decorators go on instance methods');
      return false;
    }
    if (method.isStatic) {
      this.bag.report(DiagnosticCode.STATIC_MEMBER, (lambda ?? first).call, `@${(lambda ?? first).name} is on static method ${cls.name}.${method.name}`, 'make it an instance method: sparta creates one instance per container');
      return false;
    }
    if (!lambda) {
      this.bag.report(DiagnosticCode.NEEDS_LAMBDA, first.call, `@${first.name} is on ${cls.name}.${method.name}, which has no @Lambda`, `add @Lambda() to ${cls.name}.${method.name}`);
      return false;
    }
    return true;
  }

  private buildFunction(cls: CollectedClass, method: CollectedMethod, service: string, serviceReferences: Reference[]): FunctionManifest | undefined {
    const fn: FunctionManifest = {
      id: `${cls.name}.${method.name}`,
      service,
      className: cls.name,
      methodName: method.name,
      exportName: cls.exportName ?? cls.name,
      source: this.location(method.node.name ?? method.node),
      options: {},
      privileges: [],
      events: [],
      dependsOn: [],
    };
    let valid = true;
    for (const use of method.decorators) {
      if (!use.complete) {
        valid = false;
        continue;
      }
      const site = this.site(use);
      serviceReferences.push(...use.references);
      switch (use.name) {
        case 'Lambda': {
          const options = validateLambda(use.args[0], site);
          if (options) fn.options = options;
          else valid = false;
          break;
        }
        case 'Privilege': {
          const privilege = validatePrivilege(use.args[0], site);
          if (privilege) fn.privileges.push({ ...privilege, source: this.location(use.call) } as PrivilegeManifest);
          else valid = false;
          break;
        }
        case 'DependsOn': {
          use.args.forEach((id, index) => {
            const node = use.call.arguments[index];
            if (typeof id !== 'string') {
              this.bag.report(DiagnosticCode.INVALID_OPTION, node, '@DependsOn takes logical IDs (strings)');
              valid = false;
              return;
            }
            fn.dependsOn.push(id);
            serviceReferences.push({ logicalId: id, node });
          });
          break;
        }
        default: {
          const source = sourceOfDecorator(use.name);
          if (!source) {
            this.bag.report(DiagnosticCode.INVALID_OPTION, use.call, `@${use.name} belongs on a class, not on method ${fn.id}`);
            valid = false;
            break;
          }
          const checker = new Checker(site);
          const rest = use.args.slice(1).map((value, index) => ({ value, check: new Checker({ bag: this.bag, call: use.call, node: use.call.arguments[index + 1] }) }));
          const validated = source.validate(use.args[0], checker, rest);
          if (!validated) {
            valid = false;
            break;
          }
          const event = { ...validated, source: this.location(use.call) } as EventSourceManifest;
          fn.events.push(event);
          if (source.checkInService) this.serviceChecks.push({ service, source, event, checker });
        }
      }
    }
    // Only once every source is read: a missing one would make a right union look wrong.
    if (valid && ts.isMethodDeclaration(method.node)) this.eventTypeChecks.push({ service, method: method.node, fn });
    if (valid && method.connectionSends.length > 0) this.connectionSenders.push({ service, fn, call: method.connectionSends[0] });
    return valid ? fn : undefined;
  }

  /** ManageConnections for each function that calls sendToConnection; SPARTA049 at each such call in a service without a WebSocket API. */
  private grantConnectionSenders(): void {
    const stranded = new Map<ts.CallExpression, { service: string; functionIds: string[] }>();
    for (const { service, fn, call } of this.connectionSenders) {
      const manifest = this.services.get(service)?.manifest;
      if (!manifest) continue;
      if (hasWebSocketApi(manifest)) {
        const privilege = connectionSenderPrivilege(fn, this.location(call));
        if (privilege) fn.privileges.push(privilege);
        continue;
      }
      // Several functions may reach one call through a shared helper: it is said once, naming them all.
      const entry = stranded.get(call) ?? { service: manifest.name, functionIds: [] };
      entry.functionIds.push(fn.id);
      stranded.set(call, entry);
    }
    for (const [call, { service, functionIds }] of stranded) reportSendWithoutApi(functionIds.sort(), service, new Checker({ bag: this.bag, call, node: call }));
  }

  /** Sorted services, with every Ref/GetAtt/Sub/DependsOn checked against the declared resources. */
  finish(): ServiceManifest[] {
    const result: ServiceManifest[] = [];
    for (const { manifest } of this.services.values()) {
      const routes = manifest.functions.flatMap((fn) => fn.events.filter((event) => event.kind === 'http'));
      if (manifest.api || routes.length === 0) continue;
      manifest.api = defaultApi(routes.reduce((first, route) => (isBefore(route.source, first.source) ? route : first)).source);
    }
    for (const { service, method, fn } of this.eventTypeChecks) {
      checkEventTypes(method, fn.id, fn.events, this.checker, this.bag, this.services.get(service)?.manifest);
    }
    for (const { service, source, event, checker } of this.serviceChecks) {
      const manifest = this.services.get(service)?.manifest;
      if (manifest) source.checkInService!(event, manifest, checker);
    }
    this.grantConnectionSenders();
    for (const { manifest, references } of this.services.values()) {
      const declared = new Set(manifest.resources.map((resource) => resource.logicalId));
      for (const reference of references) {
        if (declared.has(reference.logicalId) || reference.logicalId.includes('::') || reference.logicalId === STAGE_PARAMETER) continue;
        this.bag.report(
          DiagnosticCode.UNKNOWN_REFERENCE,
          reference.node,
          `${reference.logicalId} is not declared in service ${manifest.name}`,
          declared.size > 0 ? `declared resources: ${[...declared].sort().join(', ')}` : `declare it with @Resource('${reference.logicalId}', { Type: ... })`,
        );
      }
      manifest.classes.sort((a: ServiceClassManifest, b: ServiceClassManifest) => compare(a.className, b.className) || compare(a.source.file, b.source.file));
      manifest.resources.sort((a: ResourceManifest, b: ResourceManifest) => compare(a.logicalId, b.logicalId));
      manifest.functions.sort((a, b) => compare(a.id, b.id));
      result.push(manifest);
    }
    return result.sort((a, b) => compare(a.name, b.name));
  }

  private site(use: DecoratorUse): ArgumentSite {
    return { bag: this.bag, call: use.call, node: use.call.arguments[0] ?? use.call };
  }

  private location(node: ts.Node): SourceLocation {
    const sourceFile = node.getSourceFile();
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return { file: relativeFile(this.projectDir, sourceFile.fileName), line: line + 1, column: character + 1 };
  }
}

/** Locale-independent, so manifests are byte-identical on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `@Service`'s packaging options hold for every function of its class, joined with the function's own; its `format`
 * for each function that sets none.
 */
function withClassPackaging(fn: FunctionManifest, options: ServiceOptions): void {
  for (const key of ['external', 'files', 'nodeModules'] as const) {
    const own = options[key];
    if (own !== undefined) fn.options = { ...fn.options, [key]: [...new Set([...own, ...(fn.options[key] ?? [])])] };
  }
  if (options.format !== undefined && fn.options.format === undefined) fn.options = { ...fn.options, format: options.format };
}
