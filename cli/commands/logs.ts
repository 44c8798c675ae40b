import { Command, Option } from 'clipanion';
import { followLogEvents, readLogEvents, type LogEvent, type LogQuery } from '../converge/logs';
import { selectFunction } from '../invoke/select';
import { formatLogEvent } from '../logs/format';
import { loadProjectManifest, selectService } from '../project';
import { functionName, logGroupName } from '../template/ids';
import { applyStage } from '../../manifest/stage';
import { resolveStage, stageFlag } from './build-options';
import { AwsCommand, parseDuration, withInterrupt } from './aws';

/** How often `--follow` asks again: FilterLogEvents allows 5 calls a second per account and region. */
const FOLLOW_POLL_MS = 2000;

export default class LogsCommand extends AwsCommand {
  static paths = [['logs']];

  static usage = Command.Usage({
    description: "Print a deployed function's CloudWatch Logs",
    details: `
      Reads the function's log group (\`/aws/lambda/<function name>\`, from your sources: no build) with FilterLogEvents, newest last. A line of sparta's \`logger\` shows as time, level, message and its fields; Lambda's own records as their type.

      \`--follow\` keeps polling for new lines until Ctrl-C. \`--filter\` takes CloudWatch Logs' filter pattern syntax (\`ERROR\`, \`{ $.level = "ERROR" }\`).
    `,
    examples: [
      ['The last ten minutes of a function', '$0 logs Hello.hello'],
      ['Errors of the last day, then follow', '$0 logs hello --since 1d --filter \'{ $.level = "ERROR" }\' --follow'],
    ],
  });

  fn = Option.String({ name: 'FUNCTION' });
  stage = stageFlag();
  since = Option.String('--since', '10m', { description: 'How far back to start (90s, 10m, 2h, 1d; default 10m)' });
  follow = Option.Boolean('--follow,-f', false, { description: 'Keep printing new lines until Ctrl-C' });
  filter = Option.String('--filter', { description: "A CloudWatch Logs filter pattern (e.g. ERROR or '{ $.level = \"ERROR\" }')" });

  async execute(): Promise<number> {
    const startTime = Date.now() - parseDuration(this.since, '--since');
    const { manifest } = loadProjectManifest(this.tsconfigPath());
    const service = applyStage(selectService(manifest, this.service), resolveStage(this.stage));
    const fn = selectFunction(service, this.fn);
    const query: LogQuery = { group: logGroupName(functionName(service.name, fn.className, fn.methodName)), functionId: fn.id, startTime, filterPattern: this.filter };
    const { apis } = await this.aws();
    const print = (events: LogEvent[]) => this.context.stdout.write(events.map((event) => `${formatLogEvent(event)}\n`).join(''));
    // Ctrl-C is how a follow ends: a normal exit, not an interruption.
    if (this.follow) await withInterrupt((signal) => followLogEvents(apis.logs, query, print, signal, FOLLOW_POLL_MS));
    else print(await readLogEvents(apis.logs, query));
    return 0;
  }
}
