/**
 * Commands return, main exits: a command returns its exit code and writes to the
 * streams it is given; src/cli.ts's main returns the code and src/bin.ts alone sets
 * process.exitCode from it. The demo and the benchmark are programs of their own,
 * with their own mains.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTsFiles } from './import-graph.js';

const SRC = join(import.meta.dirname, '..', '..', '..', 'src');
const files = listTsFiles(SRC).map((file) => ({ file: relative(SRC, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }));

/** Lines that are code, not comments. */
function codeLines(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));
}

describe('commands return, main exits', () => {
  it('only the programs\' entry points set process.exitCode', () => {
    const setters = files.filter((f) => codeLines(f.text).some((line) => /process\.exitCode\s*=[^=]/.test(line))).map((f) => f.file);
    expect(setters.sort()).toEqual(['bench/main.ts', 'bin.ts', 'demo.ts']);
  });

  it('no command writes to process.stdout itself; it writes to the stdout it is given', () => {
    const offending = files
      .filter((f) => f.file.startsWith('commands/'))
      .flatMap((f) => codeLines(f.text).filter((line) => /process\.stdout\.write/.test(line)).map((line) => `src/${f.file}: ${line.trim()}`));
    expect(offending).toEqual([]);
  });
});
