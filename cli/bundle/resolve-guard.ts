// A resolveId hook that asks rollup itself (`this.resolve` with skipSelf) is
// still asked again by the plugins it calls, and through them by rollup for
// the same import: each such hook keeps one of these so that the nested call
// for an (importer, source) pair it is already answering steps aside.

export class ResolveGuard {
  private readonly busy = new Set<string>();

  /** `run`'s answer, or `undefined` when this pair is already being resolved further up the stack. */
  async once<T>(importer: string, source: string, run: () => Promise<T>): Promise<T | undefined> {
    const key = `${importer}\0${source}`;
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    try {
      return await run();
    } finally {
      this.busy.delete(key);
    }
  }
}
