import type { CommandClass } from 'clipanion';
import EventCommand from './event';
import InvokeCommand from './invoke';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [EventCommand, InvokeCommand];
