import type { CommandClass } from 'clipanion';
import DeleteCommand from './delete';
import DescribeCommand from './describe';
import ProvisionCommand from './provision';

// One line a command. Keep sorted by command path.
export const commands: CommandClass[] = [
  DeleteCommand,
  DescribeCommand,
  ProvisionCommand,
];
