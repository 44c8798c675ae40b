// The shape of the CloudFormation template this stage produces. Only the parts
// sparta writes are typed; user `@Resource` declarations pass through as data.

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

export interface CfnResource {
  Type: string;
  Properties?: { [key: string]: CfnValue };
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
  Metadata?: { [key: string]: CfnValue };
}

export interface CfnParameter {
  Type: string;
  Description?: string;
  AllowedValues?: string[];
}

export interface CfnOutput {
  Description?: string;
  Value: CfnValue;
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description?: string;
  Parameters: Record<string, CfnParameter>;
  Conditions?: Record<string, CfnValue>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, CfnOutput>;
}

/**
 * Where a generated resource came from, for error messages that point at the
 * user's code (`Hello.tick (src/hello.ts:22:3)`). Kept beside the template,
 * never inside it, so the template stays byte-stable when only lines move.
 */
export type Origins = Map<string, string>;
