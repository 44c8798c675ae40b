// Names the template stage gives its own parameter and outputs. A
// `@Resource` may not take one of them (CloudFormation keeps parameters and
// resources in one namespace, and a reader would confuse the outputs), so the
// transformer reads them from here too.

/** The parameter that receives the artifact bucket's name at deploy time. */
export const ARTIFACT_BUCKET_PARAMETER = 'ArtifactBucket';
export const SERVICE_NAME_OUTPUT = 'ServiceName';
/** The parameter that receives the stage (`--stage`): `Ref: Stage` or `${Stage}` in a Sub. */
export const STAGE_PARAMETER = 'Stage';

/**
 * Stack tags under this prefix are sparta's own: they carry the project's
 * identity (cli/converge/identity.ts), so a user's tag may not use it.
 */
export const SPARTA_TAG_PREFIX = 'sparta:';

/** Logical IDs that sparta's template always declares, whatever the service holds. */
export const FIXED_TEMPLATE_NAMES: readonly string[] = [ARTIFACT_BUCKET_PARAMETER, SERVICE_NAME_OUTPUT, STAGE_PARAMETER];
