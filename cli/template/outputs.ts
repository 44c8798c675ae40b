import type { CfnOutput } from './types';

// Outputs are what other stacks or scripts read: the service the stack
// belongs to (what sparta checks before it updates a stack). Functions have
// none: `provision` and `describe` list them from the stack's resources, so a
// function costs no output and a stack's 200 outputs never cap a service.

export function serviceOutput(service: string): CfnOutput {
  return { Description: 'The sparta service deployed by this stack', Value: service };
}
