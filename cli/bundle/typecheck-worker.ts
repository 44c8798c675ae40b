import { parentPort, workerData } from 'node:worker_threads';
import { typeErrorReport } from './typecheck';

// The type-check's thread (typecheck.ts, typeErrorReportInBackground): one check, its report posted back.
const { tsconfigPath, outDir } = workerData as { tsconfigPath: string; outDir: string };
try {
  parentPort!.postMessage({ report: typeErrorReport(tsconfigPath, outDir) });
} catch {
  parentPort!.postMessage({ failed: true });
}
