/** Plain application code: sparta bundles it only into the functions that import it. */
export function greet(name: string): string {
  return `Hello, ${name}`;
}
