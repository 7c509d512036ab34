/**
 * Imports flow one way. Read from the source of src/ (no build needed):
 *  (a) only the simulator's own users import src/sim: the production code talks
 *      to Graph's shapes in src/graph, never to the fake that serves them;
 *  (b) a command never imports another command: what two commands share lives
 *      in a named shared helper (or below src/commands);
 *  (c) no cycle between the top-level folders of src/ (and its top-level files);
 *  (d) the adapters (I/O at the edges) never import a command or the CLI.
 * A failure names each offending import: file, specifier and what it resolves to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsUnder, listTsFiles, show, specifiersOf, unitCycles, unitOf, type Import } from './import-graph.js';

const SRC = join(import.meta.dirname, '..', '..', '..', 'src');
const imports = importsUnder(SRC);

/**
 * Who may import src/sim: the simulator itself, the `entra2ad sim` command, the rehearsal tools that start it,
 * and the `sim` command's flag schema (src/config/flags/sim.ts: its choices, e.g. --retry-after, come from the simulator).
 */
const MAY_IMPORT_SIM = [/^sim\//, /^commands\/sim\.ts$/, /^lab\//, /^bench\//, /^demo\.ts$/, /^config\/flags\/sim\.ts$/];

/**
 * Files in src/commands that are not commands but pieces shared by them (or one
 * command's part kept in its own file). A new file in src/commands must be one or
 * the other: the test fails on a file in neither list.
 */
const COMMAND_HELPERS = new Set([
  'commands/common.ts', // flag and config resolution every planning command shares
  'commands/confirm.ts', // the terminal confirmation of apply, rollback and the clear
  'commands/apply-dc-outage.ts', // apply's DC outage limit and resume hint
  'commands/clear-identifiers.ts', // apply's --clear-object-identifier step
  'commands/sync-prediction.ts', // the sync prediction of verify and of apply's end
]);

/** Folder cycles tolerated, each with its reason. None today. */
const ALLOWED_CYCLES: { units: string[]; reason: string }[] = [];

/** The adapters: where I/O happens (Graph, LDAP, run-folder files, the report writers, the lab DC) and the shapes they share. */
const ADAPTERS = ['cloud', 'directory', 'journal', 'report', 'lab', 'sim', 'graph'];

const list = (offending: readonly Import[]): string => offending.map(show).join('\n');

describe('the import reader', () => {
  it('finds static, re-export, multi-line, side-effect and dynamic imports, and not prose or packages', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/index.js';",
      "export * from './c.js';",
      'import {',
      '  d,',
      '  e,',
      "} from './de.js';",
      "import './side-effect.js';",
      "  const { f } = await import('./f.js');",
      " * the old code did import('./prose.js') here",
      "import { z } from 'zod';",
      "import { join } from 'node:path';",
      "const bytes = Buffer.from('./not-an-import');",
    ].join('\n');
    expect(specifiersOf(text).sort()).toEqual(['../b/index.js', './a.js', './c.js', './de.js', './f.js', './side-effect.js']);
  });

  it('sees the imports cli.ts makes lazily, so the graph is not missing the commands', () => {
    expect(imports.filter((i) => i.from === 'cli.ts' && i.to.startsWith('commands/')).length).toBeGreaterThanOrEqual(5);
  });

  it('finds a planted cycle and names the imports that make it', () => {
    const planted: Import[] = [
      { from: 'cloud/x.ts', to: 'sim/y.ts', specifier: '../sim/y.js' },
      { from: 'sim/y.ts', to: 'cloud/z.ts', specifier: '../cloud/z.js' },
      { from: 'plan/p.ts', to: 'cloud/z.ts', specifier: '../cloud/z.js' },
    ];
    expect(unitCycles(planted)).toEqual([{ units: ['cloud', 'sim'], edges: [planted[0], planted[1]] }]);
  });
});

describe('imports flow one way', () => {
  it('(a) nothing outside the simulator and its launchers imports src/sim', () => {
    const offending = imports.filter((i) => i.to.startsWith('sim/') && !MAY_IMPORT_SIM.some((re) => re.test(i.from)));
    expect(offending, `these import the simulator:\n${list(offending)}`).toEqual([]);
  });

  it('(b) no command imports another command; every file in src/commands is a command or a named helper', () => {
    // The commands are what cli.ts loads.
    const commands = new Set(imports.filter((i) => i.from === 'cli.ts' && i.to.startsWith('commands/')).map((i) => i.to));
    const files = listTsFiles(join(SRC, 'commands')).map((f) => `commands/${f.slice(join(SRC, 'commands').length + 1)}`);
    const unclassified = files.filter((f) => !commands.has(f) && !COMMAND_HELPERS.has(f));
    expect(unclassified, 'files in src/commands that are neither a command cli.ts loads nor a listed helper').toEqual([]);
    const offending = imports.filter((i) => i.from.startsWith('commands/') && commands.has(i.to) && i.to !== i.from);
    expect(offending, `commands importing a command:\n${list(offending)}`).toEqual([]);
  });

  it('(c) no cycle between the top-level folders of src', () => {
    const cycles = unitCycles(imports).filter((c) => !ALLOWED_CYCLES.some((a) => a.units.join() === c.units.join()));
    const text = cycles.map((c) => `cycle ${c.units.join(' <-> ')}:\n${list(c.edges)}`).join('\n\n');
    expect(cycles.map((c) => c.units), text).toEqual([]);
  });

  it('(d) no adapter imports a command or the CLI', () => {
    const offending = imports.filter((i) => ADAPTERS.includes(unitOf(i.from)) && (i.to.startsWith('commands/') || i.to === 'cli.ts' || i.to === 'bin.ts'));
    expect(offending, `adapters importing the command layer:\n${list(offending)}`).toEqual([]);
  });

  it('(d) the adapter list names folders that exist', () => {
    const units = new Set(listTsFiles(SRC).map((f) => unitOf(f.slice(SRC.length + 1).split('\\').join('/'))));
    for (const adapter of ADAPTERS) expect(units.has(adapter), adapter).toBe(true);
    expect(readFileSync(join(SRC, 'cli.ts'), 'utf8')).toContain("import('./commands/");
  });
});
