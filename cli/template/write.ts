import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { serializeTemplate } from './serialize';
import type { Template } from './types';

/** The build writes the template next to build.json; this is the stage's only contact with the disk. */
export const TEMPLATE_FILE = 'template.json';

export async function writeTemplate(file: string, template: Template): Promise<string> {
  const text = serializeTemplate(template);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return text;
}
