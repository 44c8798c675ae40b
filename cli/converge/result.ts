import type { UploadSummary } from './artifacts';
import type { FunctionSummary, ResourceChangeSummary } from './messages';

/** How provision ended when it did not fail (failures throw SpartaError). */
export type ConvergeResult =
  /** Nothing to do: the stack already matches (no change set executed). */
  | { type: 'noOp'; stackName: string; reason: string; uploads: UploadSummary; outputs: Record<string, string>; functions: FunctionSummary[] }
  /** `--noop`: the change set was computed, printed and discarded. */
  | { type: 'preview'; stackName: string; changeSetType: 'CREATE' | 'UPDATE'; changes: ResourceChangeSummary[]; uploads: UploadSummary }
  /** `--hotswap`: code and environment put into the functions directly; no change set. */
  | { type: 'hotswapped'; stackName: string; functions: FunctionSummary[]; uploads: UploadSummary }
  /** The user answered no to a destructive change set. */
  | { type: 'declined'; stackName: string; changes: ResourceChangeSummary[]; uploads: UploadSummary }
  | {
      type: 'deployed';
      stackName: string;
      stackId: string;
      operation: 'create' | 'update';
      status: string;
      changes: ResourceChangeSummary[];
      uploads: UploadSummary;
      outputs: Record<string, string>;
      functions: FunctionSummary[];
    };

export type DeleteResult =
  | { type: 'missing'; stackName: string; purged?: number }
  | { type: 'deleted'; stackName: string; stackId: string; purged?: number };
