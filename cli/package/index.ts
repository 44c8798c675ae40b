export { archiveFileName, archivePath, BUILD_REPORT_FILE, buildReportText, buildService, readBuildReport, writeBuildOutputs, writeBuildReport } from './build';
export type { BuildServiceOptions } from './build';
export { DEFAULT_ARCHIVE_LIMITS } from './limits';
export type { ArchiveLimits } from './limits';
export { formatBytes, pendingLine, progressLine, summaryTable } from './format';
export { deterministicZip } from './zip';
