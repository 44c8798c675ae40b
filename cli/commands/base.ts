import { Command, Option } from 'clipanion';
import { resolveTsconfigPath } from '../project';

/** Flags every project-level command shares. */
export abstract class BaseCommand extends Command {
  project = Option.String('--project,-p', {
    description: 'Your tsconfig.json, or a folder holding one (its folder is the project root; default: the nearest tsconfig.json in the current folder or above, as tsc finds it)',
    env: 'SPARTA_PROJECT',
  });

  service = Option.String('--service,-s', {
    description: 'Only this service (required when the project declares several)',
  });

  /** The absolute path of the tsconfig this command works on. */
  protected tsconfigPath(): string {
    return resolveTsconfigPath(this.project);
  }
}
