import * as ts from 'typescript';

// Which identifiers are sparta's own? A user may alias imports
// (`import { Lambda as Fn }`) or use a namespace (`sparta.Lambda`), and may
// have an unrelated `Lambda` of their own, so names alone cannot tell. We
// follow the symbol to its declaration and check that it is declared by
// sparta's runtime (source in this repo, .d.ts in a user's node_modules).
const SPARTA_DECLARATION = /[\\/]runtime[\\/](decorators|intrinsics)(\.d)?\.ts$/;

export type SpartaDecoratorName = 'Service' | 'Resource' | 'Lambda' | 'Privilege' | 'CloudWatchEvent' | 'SNS' | 'DependsOn';
export type SpartaIntrinsicName = 'Ref' | 'GetAtt' | 'Sub';
export type SpartaExportName = SpartaDecoratorName | SpartaIntrinsicName;

const EXPORTS = new Set<string>(['Service', 'Resource', 'Lambda', 'Privilege', 'CloudWatchEvent', 'SNS', 'DependsOn', 'Ref', 'GetAtt', 'Sub']);

export function resolveSpartaExport(checker: ts.TypeChecker, callee: ts.Expression): SpartaExportName | undefined {
  const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  let symbol = checker.getSymbolAtLocation(target);
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol.declarations?.[0];
  if (!declaration || !EXPORTS.has(symbol.name)) return undefined;
  if (!SPARTA_DECLARATION.test(declaration.getSourceFile().fileName)) return undefined;
  return symbol.name as SpartaExportName;
}

export function isIntrinsicName(name: string): name is SpartaIntrinsicName {
  return name === 'Ref' || name === 'GetAtt' || name === 'Sub';
}
