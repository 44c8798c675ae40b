// The template stage: a pure function from a service's manifest and its build
// artifacts to a CloudFormation template, plus the checks and the byte-stable
// serialisation. `writeTemplate` is the only part that touches the disk.
export { buildTemplate, marshalTemplate } from './marshal';
export type { TemplateBuild } from './marshal';
export { serializeTemplate, stableStringify } from './serialize';
export { checkCounts, checkCycles, checkEnvironments, checkReferences, checkSize, checkTemplate } from './checks';
export { ARTIFACT_BUCKET_PARAMETER, SERVICE_NAME_OUTPUT, functionIds, functionLogicalId, functionName, logGroupName } from './ids';
export type { FunctionIds } from './ids';
export { artifactKey } from './function';
export { estimateEnvironmentBytes } from './discovery';
export { TEMPLATE_FILE, writeTemplate } from './write';
export type { CfnOutput, CfnParameter, CfnResource, CfnValue, Origins, Template } from './types';
