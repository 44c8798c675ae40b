import * as path from 'node:path';
import { Option, type BaseContext } from 'clipanion';
import { pendingLine, progressLine } from '../package';
import type { BuildOptions } from '../pipeline';
import { resolveTsconfigPath } from '../project';
import { isTerminal } from '../terminal';
import { stageInvalid } from '../errors';
import { stageNameProblem, STAGE_ENV } from '../../manifest/stage';

/** The build flags that `build` and `provision` both take. */
export interface BuildFlags {
  project?: string;
  service?: string;
  out?: string;
  minify: boolean;
  sourcemap: boolean;
  externalAwsSdk: boolean;
  typecheck: boolean;
  verboseWarnings: boolean;
  stage?: string;
}

/**
 * `--stage NAME` (else SPARTA_STAGE): every command that works on a stack, or
 * builds for one, takes it as `stage = stageFlag()` and reads it through
 * resolveStage.
 */
export function stageFlag() {
  return Option.String('--stage', {
    description: 'The stage: its own stack <service>-<stage>, names carrying the stage, the stage\'s settings from `stages` (default: SPARTA_STAGE; none: the service\'s own stack)',
    env: STAGE_ENV,
  });
}

/** The stage a command works on, checked (SPARTA115); undefined without one (an empty SPARTA_STAGE is none). */
export function resolveStage(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const problem = stageNameProblem(value);
  if (problem !== undefined) throw stageInvalid('--stage', value, problem);
  return value;
}

export const BUILD_FLAG_DESCRIPTIONS = {
  out: 'Where each service\'s folder of archives, build.json and template.json goes (default: .sparta beside the tsconfig)',
  minify: 'Minify the bundles with terser',
  sourcemap: 'Ship source maps (and enable them in the functions)',
  externalAwsSdk: 'Use the AWS SDK the Lambda runtime provides instead of bundling it',
  typecheck: 'Type-check the program before bundling, as tsc --noEmit (--no-typecheck skips it)',
  verboseWarnings: "Print each of the bundler's warnings as it gives it, instead of one line for each third-party package's",
};

/** Pipeline options from the flags, with progress on stderr as each function is built (one line each; redrawn on a terminal). */
export function buildOptions(flags: BuildFlags, context: BaseContext): BuildOptions {
  const { stderr } = context;
  const tty = isTerminal(stderr);
  const color = tty && (context.colorDepth ?? 1) > 1;
  return {
    tsconfigPath: resolveTsconfigPath(flags.project),
    service: flags.service,
    stage: resolveStage(flags.stage),
    out: flags.out,
    minify: flags.minify,
    sourcemap: flags.sourcemap,
    bundleAwsSdk: !flags.externalAwsSdk,
    typecheck: flags.typecheck,
    verboseWarnings: flags.verboseWarnings,
    onTypeErrors: (report) => stderr.write(color ? report.colored : report.plain),
    onStart: (service) => tty && stderr.write(pendingLine(service.functions.length)),
    onFunctionBuilt: (artifact) => stderr.write(`${tty ? '\r\u001b[K' : ''}${progressLine(artifact, { tty, color })}\n`),
    onWarning: (message) => stderr.write(`warning: ${message}\n`),
    onSkipped: (service, report) => stderr.write(`${service.name}: nothing changed since the last build (${path.relative(process.cwd(), report) || report}): not built again\n`),
  };
}

/** A command class sparta's build flags can be added to. */
type CommandBase = abstract new (...args: any[]) => { context: BaseContext };

/** `Base` with the build flags (`--stage` among them): build, provision, diff and invoke take them alike. */
export function withBuildFlags<T extends CommandBase>(Base: T) {
  abstract class WithBuildFlags extends Base {
    out = Option.String('--out,-o', { description: BUILD_FLAG_DESCRIPTIONS.out });
    minify = Option.Boolean('--minify', false, { description: BUILD_FLAG_DESCRIPTIONS.minify });
    sourcemap = Option.Boolean('--sourcemap', false, { description: BUILD_FLAG_DESCRIPTIONS.sourcemap });
    externalAwsSdk = Option.Boolean('--external-aws-sdk', false, { description: BUILD_FLAG_DESCRIPTIONS.externalAwsSdk });
    typecheck = Option.Boolean('--typecheck', true, { description: BUILD_FLAG_DESCRIPTIONS.typecheck });
    verboseWarnings = Option.Boolean('--verbose-warnings', false, { description: BUILD_FLAG_DESCRIPTIONS.verboseWarnings });
    stage = stageFlag();
  }
  return WithBuildFlags;
}
