import type { CommandClass } from 'clipanion';
import BuildCommand from './build';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [BuildCommand];
