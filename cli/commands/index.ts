import type { CommandClass } from 'clipanion';
import ExplainCommand from './explain';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [ExplainCommand];
