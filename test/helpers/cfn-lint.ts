import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as assert from 'uvu/assert';
import { serializeTemplate } from '../../cli/template';
import type { Template } from '../../cli/template/types';

// cfn-lint spends 2.5-3.3 s starting up, nearly all of its time: lint every
// template of a test file in one call.

export interface LintMatch {
  file: string;
  level: 'Error' | 'Warning' | 'Informational';
  rule: string;
  message: string;
  path: Array<string | number>;
}

export interface LintRun {
  /** A bit mask: 2 errors, 4 warnings, 8 informational; 0 clean. */
  exitCode: number;
  matches: LintMatch[];
}

interface RawMatch {
  Filename: string;
  Level: LintMatch['level'];
  Message: string;
  Rule: { Id: string };
  Location?: { Path?: Array<string | number> };
}

export const LINT_ERRORS = 2;
export const LINT_WARNINGS = 4;

/** Runs `cfn-lint --format json` once over all the files. Rejects when cfn-lint is missing or prints no JSON. */
export function lintTemplates(files: string[]): Promise<LintRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', ['--format', 'json', '--', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('cfn-lint is not installed or not on PATH: these tests need it (pip install cfn-lint)')
          : new Error(`cannot run cfn-lint: ${error.message}`),
      ),
    );
    child.on('close', (code) => {
      try {
        const raw = (stdout.trim() === '' ? [] : JSON.parse(stdout)) as RawMatch[];
        const matches = raw.map((match) => ({
          file: match.Filename,
          level: match.Level,
          rule: match.Rule.Id,
          message: match.Message,
          path: match.Location?.Path ?? [],
        }));
        resolve({ exitCode: code ?? -1, matches });
      } catch (error) {
        reject(new Error(`cfn-lint exited ${code} without JSON: ${stderr || stdout}`));
      }
    });
  });
}

/** The matches for one file at one level, as `RULE path: message` lines (readable in a failed assertion). */
export function findings(run: LintRun, file: string, level: LintMatch['level']): string[] {
  return run.matches.filter((match) => match.file === file && match.level === level).map((match) => `${match.rule} ${match.path.join('/')}: ${match.message}`);
}

/**
 * Writes each template (by name) to a temporary file, lints them all in one
 * cfn-lint run, and fails on any error or warning, naming the file.
 */
export async function expectLintClean(templates: Record<string, Template>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sparta-lint-'));
  const files = Object.entries(templates).map(([name, template]) => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, serializeTemplate(template));
    return file;
  });
  const run = await lintTemplates(files);
  for (const file of files) {
    assert.equal(findings(run, file, 'Error'), [], file);
    assert.equal(findings(run, file, 'Warning'), [], file);
  }
  assert.is(run.exitCode, 0);
}
