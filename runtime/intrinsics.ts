import type { Intrinsic } from '../manifest/types';

// These return plain CloudFormation intrinsics. The transformer recognises the
// calls statically, so they can be used inside decorator arguments.

/** `{ Ref: logicalId }`: the resource's primary identifier. */
export function Ref(logicalId: string): { Ref: string } {
  return { Ref: logicalId };
}

/** `{ 'Fn::GetAtt': [logicalId, attribute] }`. */
export function GetAtt(logicalId: string, attribute: string): { 'Fn::GetAtt': [string, string] } {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

/** `{ 'Fn::Sub': template }`: `${Id}` and `${Id.Attr}` name resources, `${AWS::Region}` pseudo parameters. */
export function Sub(template: string): { 'Fn::Sub': string } {
  return { 'Fn::Sub': template };
}

export type { Intrinsic };
