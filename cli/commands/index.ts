import type { CommandClass } from 'clipanion';
import EventCommand from './event';
import ExplainCommand from './explain';
import InvokeCommand from './invoke';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [EventCommand, ExplainCommand, InvokeCommand];
