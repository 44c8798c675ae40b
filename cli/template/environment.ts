import { DISCOVERY_ENV, LOG_LEVEL_ENV } from '../../manifest/environment';
import { STAGE_ENV } from '../../manifest/stage';
import type { FunctionArtifact, FunctionManifest } from '../../manifest/types';

// A function's environment variables: the template stage writes them into the
// deployed function and `sparta invoke` hands them to its local child, so both
// come from this one function. Only the discovery document differs: deployed it
// is an Fn::Sub that CloudFormation fills in, locally a document of placeholders;
// and the stage, deployed the template's Stage parameter, locally its value.

export const SOURCE_MAPS_OPTION = '--enable-source-maps';

/**
 * The user's variables, then sparta's. The user may set the log level
 * (documented as overridable) and add to NODE_OPTIONS; the discovery
 * document is always sparta's, since the runtime trusts its shape.
 */
export function functionEnvironment<Discovery>(
  fn: FunctionManifest,
  artifact: Pick<FunctionArtifact, 'sourceMaps'>,
  discovery: Discovery,
  /** With a stage only: SPARTA_STAGE's value. */
  stage?: string | Discovery,
): Record<string, string | Discovery> {
  const variables: Record<string, string | Discovery> = { ...(fn.options.environment ?? {}) };
  if (fn.options.logLevel && variables[LOG_LEVEL_ENV] === undefined) variables[LOG_LEVEL_ENV] = fn.options.logLevel;
  if (artifact.sourceMaps) {
    const own = typeof variables.NODE_OPTIONS === 'string' ? variables.NODE_OPTIONS : '';
    variables.NODE_OPTIONS = own.split(/\s+/).includes(SOURCE_MAPS_OPTION) ? own : `${SOURCE_MAPS_OPTION} ${own}`.trim();
  }
  variables[DISCOVERY_ENV] = discovery;
  if (stage !== undefined) variables[STAGE_ENV] = stage;
  return variables;
}
