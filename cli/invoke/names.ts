import { createHash } from 'node:crypto';
import { LAMBDA_LIMITS } from '../../manifest/defaults';

// Mirrors of the template stage's naming (cli/template/ids.ts on its branch),
// so a local invoke sees the name and logical ID the deployed function gets.
// On merge, import them from there instead.

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

const alphanumericPascal = (name: string) => {
  const kept = name.replace(/[^A-Za-z0-9]/g, '');
  return kept.charAt(0).toUpperCase() + kept.slice(1);
};

/** `<service>-<Class>-<method>`, or a hashed cut of it when too long or holding characters Lambda refuses. */
export function functionName(service: string, className: string, methodName: string): string {
  const full = `${service}-${className}-${methodName}`;
  const safe = full.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === full && full.length <= LAMBDA_LIMITS.functionName) return full;
  const suffix = `-${shortHash(full)}`;
  return safe.slice(0, LAMBDA_LIMITS.functionName - suffix.length) + suffix;
}

/** `<Class><Method><hash>`: the function's logical ID in the template. */
export function functionLogicalId(service: string, className: string, methodName: string): string {
  let readable = alphanumericPascal(className) + alphanumericPascal(methodName);
  if (!/^[A-Za-z]/.test(readable)) readable = `Fn${readable}`;
  return readable.slice(0, 64) + shortHash(`${service}/${className}.${methodName}`);
}
