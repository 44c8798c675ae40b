import type { CommandClass } from 'clipanion';
import BuildCommand from './build';
import EventCommand from './event';
import ExplainCommand from './explain';
import InvokeCommand from './invoke';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [BuildCommand, EventCommand, ExplainCommand, InvokeCommand];
