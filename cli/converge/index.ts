// The converge stage: the only code in sparta that calls AWS.
export type { AwsApis, CloudFormationApi, IamApi, S3Api, SdkClients } from './api';
export { createAwsApis } from './api';
export { createAws, createSdkClients, resolveEndpoint, resolvedRegion, type AwsConnectionOptions } from './clients';
export { converge, DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS, type ConvergeDeps } from './converge';
export { deleteService, type DeleteDeps, type DeleteRequest } from './delete';
export { describeService, type ResourceDescription, type StackDescription } from './describe';
export type { ConvergeIo, ConvergeMessage, FunctionSummary, ResourceChangeSummary, StackActivity } from './messages';
export { collectingIo, silentIo } from './messages';
export { servicePrefix, type ArtifactUpload, type DeploymentPlan } from './plan';
export { renderDescription, renderMessage, textIo } from './render';
export type { ConvergeResult, DeleteResult } from './result';
