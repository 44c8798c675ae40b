import { Command, Option } from 'clipanion';
import type { Manifest } from '../../manifest/types';
import { renderManifestMermaid } from '../explain/mermaid';
import { renderManifestText } from '../explain/text';
import { serializeManifest } from '../../transformer/emit';
import { loadProjectManifest, selectService } from '../project';
import { BaseCommand } from './base';
import { badFlag } from './flags';
import { resolveStage, stageFlag } from './build-options';
import { applyStage } from '../../manifest/stage';

const FORMATS = ['text', 'json', 'mermaid'] as const;

export default class ExplainCommand extends BaseCommand {
  static paths = [['explain']];

  static usage = Command.Usage({
    description: 'Print what the decorators declare: services, functions, event sources, privileges and resources',
    details: `
      Reads the project's decorators straight from the TypeScript sources (no build needed) and prints the manifest
      that every later stage works from. Misconfigured decorators are reported as \`file:line:col - error SPARTAnnn\`
      and the command exits non-zero.

      \`--stage NAME\` shows what that stage deploys: the stack \`<service>-<stage>\` with the stage's settings from \`stages\` applied.

      \`--format json\` prints the manifest itself, byte for byte what the \`sparta/transformer\` plugin writes;
      \`--format mermaid\` prints a flowchart for any Mermaid viewer.
    `,
    examples: [
      ['Explain the project in the current folder', '$0 explain'],
      ['Print the manifest of one service as JSON', '$0 explain --service hello-sparta --format json'],
      ['Draw the service as a Mermaid graph', '$0 explain -p examples/hello/tsconfig.json --format mermaid'],
    ],
  });

  format = Option.String('--format,-f', 'text', { description: 'text, json or mermaid' });

  stage = stageFlag();

  async execute(): Promise<number> {
    if (!(FORMATS as readonly string[]).includes(this.format)) throw badFlag('--format', this.format, FORMATS);
    const { manifest } = loadProjectManifest(this.tsconfigPath());
    const stage = resolveStage(this.stage);
    const selected: Manifest = this.service ? { ...manifest, services: [selectService(manifest, this.service)] } : manifest;
    // With a stage, what that stage deploys: each service as applyStage gives it.
    const shown: Manifest = stage === undefined ? selected : { ...selected, services: selected.services.map((service) => applyStage(service, stage)) };
    const render = { text: renderManifestText, json: serializeManifest, mermaid: renderManifestMermaid }[this.format as (typeof FORMATS)[number]];
    this.context.stdout.write(render(shown));
    return 0;
  }
}
