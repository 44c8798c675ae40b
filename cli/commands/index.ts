import type { CommandClass } from 'clipanion';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [];
