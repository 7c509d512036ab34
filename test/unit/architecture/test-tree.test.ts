/**
 * The unit tests mirror src/: a test of src/plan/names/cn.ts lives in test/unit/plan/names/,
 * a test of a top-level file such as src/cli.ts in test/unit/cli/. A reader looking for a
 * module's tests finds them in the one folder named like it. (test/unit/architecture/ is
 * about src/ as a whole.)
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTsFiles } from './import-graph.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const UNIT = join(ROOT, 'test', 'unit');
const SRC = join(ROOT, 'src');

/** The folder of src/ (or the top-level src file, without .ts) that a test folder names; undefined when none. */
function mirrored(testFolder: string): string | undefined {
  const folder = join(SRC, testFolder);
  if (existsSync(folder) && statSync(folder).isDirectory()) return folder;
  if (!testFolder.includes('/') && existsSync(`${folder}.ts`)) return `${folder}.ts`;
  return undefined;
}

describe('test/unit mirrors src/', () => {
  const tests = listTsFiles(UNIT)
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => relative(UNIT, file));

  it('finds the unit tests', () => {
    expect(tests.length).toBeGreaterThan(50);
  });

  it('every unit test sits in a folder named like a folder or top-level file of src/', () => {
    const astray = tests.filter((file) => {
      const folder = dirname(file);
      if (folder === 'architecture') return false;
      return folder === '.' || mirrored(folder) === undefined;
    });
    expect(astray, 'unit tests outside a folder named like their src module').toEqual([]);
  });
});
