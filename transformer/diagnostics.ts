import * as path from 'node:path';
import * as ts from 'typescript';

import { DiagnosticCode } from './codes';

export { DiagnosticCode } from './codes';

/** TypeScript wants a number: SPARTAnnn reports as TS990nnn under tspc. */
const TS_CODE_BASE = 990000;

/** An error fails the analysis (no manifest); a warning is printed and the manifest is still produced. */
export type Severity = 'error' | 'warning';

export interface SpartaDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** What to write instead. */
  hint?: string;
  /** Relative to the project root, posix separators. */
  file: string;
  line: number;
  column: number;
  /** For tspc: the exact span in the program. */
  node: ts.Node;
}

/** Collects diagnostics; each builder knows where the problem stands in the source. */
export class DiagnosticBag {
  readonly items: SpartaDiagnostic[] = [];

  constructor(readonly projectDir: string) {}

  report(code: DiagnosticCode, node: ts.Node, message: string, hint?: string): void {
    this.add('error', code, node, message, hint);
  }

  warn(code: DiagnosticCode, node: ts.Node, message: string, hint?: string): void {
    this.add('warning', code, node, message, hint);
  }

  private add(severity: Severity, code: DiagnosticCode, node: ts.Node, message: string, hint: string | undefined): void {
    const sourceFile = node.getSourceFile();
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    this.items.push({
      code,
      severity,
      message,
      hint,
      file: relativeFile(this.projectDir, sourceFile.fileName),
      line: line + 1,
      column: character + 1,
      node,
    });
  }

  get hasErrors(): boolean {
    return this.items.some((item) => item.severity === 'error');
  }

  /** Stable order: by file, then position, then code. */
  sorted(): SpartaDiagnostic[] {
    return [...this.items].sort(
      (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
  }
}

export function relativeFile(projectDir: string, fileName: string): string {
  return path.relative(projectDir, fileName).split(path.sep).join('/');
}

/** `file:line:col - error SPARTAnnn: message` (or `warning`), as tsc prints its own. */
export function formatDiagnostic(diagnostic: SpartaDiagnostic): string {
  const head = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} - ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
  return diagnostic.hint ? `${head}\n  hint: ${diagnostic.hint}` : head;
}

/** The same diagnostic as TypeScript's own type, so tspc reports it and fails. */
export function toTsDiagnostic(diagnostic: SpartaDiagnostic): ts.Diagnostic {
  const sourceFile = diagnostic.node.getSourceFile();
  const start = diagnostic.node.getStart(sourceFile);
  const text = `${diagnostic.code}: ${diagnostic.message}${diagnostic.hint ? ` (hint: ${diagnostic.hint})` : ''}`;
  return {
    category: ts.DiagnosticCategory.Error,
    code: TS_CODE_BASE + Number(diagnostic.code.slice('SPARTA'.length)),
    file: sourceFile,
    start,
    length: diagnostic.node.getEnd() - start,
    messageText: text,
    source: 'sparta',
  };
}
