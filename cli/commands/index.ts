import type { CommandClass } from 'clipanion';
import BootstrapCommand from './bootstrap';
import BuildCommand from './build';
import DeleteCommand from './delete';
import DescribeCommand from './describe';
import DiffCommand from './diff';
import EventCommand from './event';
import ExplainCommand from './explain';
import InvokeCommand from './invoke';
import LogsCommand from './logs';
import ProvisionCommand from './provision';
import ServeCommand from './serve';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [BootstrapCommand, BuildCommand, DeleteCommand, DescribeCommand, DiffCommand, EventCommand, ExplainCommand, InvokeCommand, LogsCommand, ProvisionCommand, ServeCommand];
