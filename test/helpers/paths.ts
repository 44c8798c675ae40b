import * as path from 'node:path';

// Tests run from dist/test/...; sources, fixtures and examples stay in the repo.
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const CLI_BIN = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
