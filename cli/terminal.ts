// How much colour a stream gets: none off a terminal (a pipe or a file must
// not receive escape codes), and the NO_COLOR / FORCE_COLOR conventions
// (no-color.org, and the FORCE_COLOR levels of Node and chalk) override that.

export function isTerminal(stream: unknown): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** clipanion's colour depth: 1 means no colour. */
export function colorDepthOf(stream: unknown, env: NodeJS.ProcessEnv = process.env): number {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 1;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    return { '0': 1, false: 1, '1': 4, '2': 8, '3': 24 }[force] ?? 4;
  }
  if (!isTerminal(stream)) return 1;
  const tty = stream as { getColorDepth?: () => number };
  return typeof tty.getColorDepth === 'function' ? tty.getColorDepth() : 4;
}

