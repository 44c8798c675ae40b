import { Command, Option } from 'clipanion';

/** Flags every project-level command shares. */
export abstract class BaseCommand extends Command {
  project = Option.String('--project,-p', 'tsconfig.json', {
    description: "The user's tsconfig.json (its folder is the project root)",
    env: 'SPARTA_PROJECT',
  });

  service = Option.String('--service,-s', {
    description: 'Only this service (required when the project declares several)',
  });
}
