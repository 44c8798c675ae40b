// What converge tells the user, as data. converge emits messages; the command
// decides how to render them (render.ts prints text), and tests read them
// directly instead of scraping output.

export interface StackActivity {
  eventId: string;
  timestamp: Date;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  reason?: string;
}

export interface ResourceChangeSummary {
  /** Add, Modify, Remove (also Import, Dynamic on AWS). */
  action: string;
  logicalId: string;
  resourceType: string;
  /** `True`, `False` or `Conditional` for a Modify; AWS says whether the resource is replaced. */
  replacement?: string;
  physicalId?: string;
}

export interface FunctionSummary {
  logicalId: string;
  /** The physical function name. */
  name: string;
}

export type ConvergeMessage =
  | { type: 'roles-verified'; roleArns: string[] }
  /** `replaced`: the key held other bytes than the local archive (checksum or size differ), uploaded over. */
  | { type: 'artifact'; bucket: string; key: string; bytes?: number; action: 'uploaded' | 'present' | 'replaced' }
  | { type: 'artifacts-done'; bucket: string; uploaded: number; present: number; replaced: number }
  | { type: 'template'; key: string; url: string; action: 'uploaded' | 'present' | 'replaced' }
  /** --noop: the archives stay local; the template goes inline unless it is over CloudFormation's inline limit. */
  | { type: 'preview-uploads'; archives: number; templateInline: boolean }
  /** The stack has no identity tags but a sparta template: deployed by an earlier sparta, now tagged as this project's. */
  | { type: 'stack-adopted'; stackName: string; identity: string }
  /** --force: the stack belonged to someone else (`owner`) and is now this project's. */
  | { type: 'stack-taken-over'; stackName: string; owner: string; identity: string }
  /** The rows of a change set that remove or replace resources, before asking or refusing. */
  | { type: 'destructive-changes'; stackName: string; changes: ResourceChangeSummary[] }
  | { type: 'waiting-for-stack'; stackName: string; status: string }
  | { type: 'replacing-failed-stack'; stackName: string; status: string }
  | { type: 'no-changes'; stackName: string; reason: string }
  | { type: 'change-set'; stackName: string; changeSetName: string; changeSetType: 'CREATE' | 'UPDATE'; changes: ResourceChangeSummary[] }
  | { type: 'preview-only'; stackName: string }
  | { type: 'executing'; stackName: string; changeSetName: string }
  | { type: 'deleting'; stackName: string }
  | { type: 'stack-event'; event: StackActivity }
  | { type: 'stack-failures'; stackName: string; status: string; failures: StackActivity[] }
  | { type: 'stack-complete'; stackName: string; status: string; outputs: Record<string, string>; functions: FunctionSummary[] }
  | { type: 'artifacts-purged'; bucket: string; prefix: string; count: number }
  | { type: 'purge-skipped'; bucket: string; prefix: string; reason: string }
  /** --hotswap could not be used: a normal provision follows. */
  | { type: 'hotswap-fallback'; stackName: string; reason: string }
  | { type: 'function-hotswapped'; logicalId: string; name: string; code: boolean; environment: string[] }
  /** After a hotswap the stack's template names the old code: drifted until the next full provision. */
  | { type: 'hotswap-drift'; stackName: string };

export interface ConvergeIo {
  emit(message: ConvergeMessage): void;
}

/** An io that keeps every message; handy in tests and for --format json. */
export function collectingIo(): ConvergeIo & { messages: ConvergeMessage[] } {
  const messages: ConvergeMessage[] = [];
  return { messages, emit: (message) => void messages.push(message) };
}

export const silentIo: ConvergeIo = { emit: () => undefined };
