import * as assert from 'uvu/assert';
import { marshalTemplate, type Template } from '../../cli/template';
import type { Manifest, ServiceManifest } from '../../manifest/types';
import type { AnalysisResult } from '../../transformer/analyze';
import type { SpartaDiagnostic } from '../../transformer/diagnostics';
import { analyzeService, diagnosticLines } from '../helpers/inline-project';
import { artifactsFor } from '../template/services';

// What every source's tests do with an inline service: analyse it (in
// src/service.ts, after one import line), take its manifest or template, and
// find a diagnostic at the line of a piece of its text.

export const analyze = (body: string): AnalysisResult => analyzeService(body);

export function manifestOf(body: string): Manifest {
  const result = analyze(body);
  assert.ok(result.manifest, `does not analyse:\n${diagnosticLines(result).join('\n')}`);
  return result.manifest!;
}

export function serviceOf(body: string): ServiceManifest {
  return manifestOf(body).services[0];
}

export function templateOf(body: string): Template {
  const service = serviceOf(body);
  return marshalTemplate(service, artifactsFor(service));
}

/** The 1-based line of the `occurrence`th line holding `needle` in src/service.ts (the import takes line 1). */
export function lineOf(body: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const index = body.split('\n').findIndex((line) => line.includes(needle) && ++seen === occurrence);
  if (index < 0) throw new Error(`${needle} not in body`);
  return index + 2;
}

/** The one diagnostic of `code` the body gives, at `line` of src/service.ts; no manifest comes out. */
export function expectOneAt(body: string, code: string, line: number): SpartaDiagnostic {
  const result = analyze(body);
  assert.is(result.manifest, undefined, 'no manifest when there are diagnostics');
  const found = result.diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.is(found.length, 1, `expected one ${code}, got ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message]))}`);
  assert.is(found[0].file, 'src/service.ts');
  assert.is(found[0].line, line);
  return found[0];
}

/** The one diagnostic of `code`, at the line holding `needle`. */
export function expectOne(body: string, code: string, needle: string): SpartaDiagnostic {
  return expectOneAt(body, code, lineOf(body, needle));
}
