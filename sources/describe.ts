import type { Expression } from '../manifest/types';

/** The short, readable form of an ARN or intrinsic, for explain and messages: `Ref(Jobs)`, `GetAtt(Jobs.Arn)`. */
export function describeExpression(expression: Expression): string {
  if (typeof expression === 'string') return expression;
  if ('Ref' in expression) return `Ref(${expression.Ref})`;
  if ('Fn::GetAtt' in expression) return `GetAtt(${expression['Fn::GetAtt'].join('.')})`;
  return `Sub(${expression['Fn::Sub']})`;
}
