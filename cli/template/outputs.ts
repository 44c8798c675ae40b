import type { FunctionIds } from './ids';
import type { CfnOutput } from './types';

// Outputs are what `provision` prints and what other stacks or scripts read:
// each function's ARN and name, and the service the stack belongs to.

export function functionOutputs(ids: FunctionIds, functionId: string): Record<string, CfnOutput> {
  return {
    [ids.arnOutput]: { Description: `ARN of ${functionId}`, Value: { 'Fn::GetAtt': [ids.function, 'Arn'] } },
    [ids.nameOutput]: { Description: `Name of ${functionId}`, Value: { Ref: ids.function } },
  };
}

export function serviceOutput(service: string): CfnOutput {
  return { Description: 'The sparta service deployed by this stack', Value: service };
}
