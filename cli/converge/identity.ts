// A stack belongs to the project that made it. sparta tags every stack it
// creates with the project's identity (its package name and the tsconfig's
// path inside the package), and refuses to update a same-named stack that
// another project made, or one sparta did not make at all: a second project
// that happens to pick the same @Service name would otherwise replace
// everything in it. A stack of an earlier sparta (no identity tags yet) is
// recognised by its template and adopted: the update tags it.
import { SPARTA_TAG_PREFIX } from '../../manifest/template-names';
import { stackOwnedElsewhere } from '../errors';
import { ARTIFACT_BUCKET_PARAMETER, SERVICE_NAME_OUTPUT } from '../template/ids';
import { StackStatus, type DeployedStack } from './stack';

export interface ProjectIdentity {
  /** The package name (package.json `name`), or the project folder's name without a package.json. */
  project: string;
  /** The tsconfig's path relative to the package root, with `/` separators. */
  tsconfig: string;
}

/** The stack tags that carry the identity. Tags under `sparta:` are sparta's own. */
export const IDENTITY_TAGS = { project: `${SPARTA_TAG_PREFIX}project`, tsconfig: `${SPARTA_TAG_PREFIX}tsconfig` } as const;

export function identityTags(identity: ProjectIdentity): Record<string, string> {
  return { [IDENTITY_TAGS.project]: identity.project, [IDENTITY_TAGS.tsconfig]: identity.tsconfig };
}

export function identityOf(tags: Record<string, string>): ProjectIdentity | undefined {
  const project = tags[IDENTITY_TAGS.project];
  if (project === undefined) return undefined;
  return { project, tsconfig: tags[IDENTITY_TAGS.tsconfig] ?? '' };
}

export function describeIdentity(identity: ProjectIdentity): string {
  return `project ${identity.project} (${identity.tsconfig || 'no tsconfig recorded'})`;
}

/**
 * A template the template stage wrote: the `ArtifactBucket` parameter the
 * function code comes from and the `ServiceName` output naming this very
 * service, both of which every sparta template has had from the start.
 */
export function isSpartaTemplate(body: string | undefined, stackName: string): boolean {
  if (body === undefined) return false;
  let template: { Parameters?: Record<string, unknown>; Outputs?: Record<string, { Value?: unknown }> };
  try {
    template = JSON.parse(body);
  } catch {
    return false;
  }
  if (!template || typeof template !== 'object') return false;
  return template.Parameters?.[ARTIFACT_BUCKET_PARAMETER] !== undefined && template.Outputs?.[SERVICE_NAME_OUTPUT]?.Value === stackName;
}

export type Ownership =
  /** No stack yet (or only an unexecuted change set's placeholder): it will be created with the identity. */
  | { kind: 'new' }
  | { kind: 'ours' }
  /** An earlier sparta's stack: no identity tags, a sparta template. */
  | { kind: 'adopted' }
  /** --force over a stack of another project, or one sparta did not create. */
  | { kind: 'taken-over'; owner: string };

/** Decides whose stack this is; throws STACK_OWNED_ELSEWHERE unless it is this project's, an earlier sparta's, or `force`. */
export function checkOwnership(stack: DeployedStack | undefined, deployedTemplate: string | undefined, identity: ProjectIdentity, force: boolean): Ownership {
  if (!stack) return { kind: 'new' };
  const owner = identityOf(stack.tags);
  if (owner && owner.project === identity.project && owner.tsconfig === identity.tsconfig) return { kind: 'ours' };
  // A placeholder that holds an unexecuted creation has no resources to lose.
  if (!owner && StackStatus.isReviewOnly(stack.status)) return { kind: 'new' };
  if (!owner && isSpartaTemplate(deployedTemplate, stack.stackName)) return { kind: 'adopted' };
  const ownerText = owner ? describeIdentity(owner) : 'no sparta project (it has no sparta:project tag and its template is not a sparta template)';
  if (force) return { kind: 'taken-over', owner: ownerText };
  throw stackOwnedElsewhere(stack.stackName, ownerText, describeIdentity(identity));
}
