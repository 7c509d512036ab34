#!/usr/bin/env node
import { tuneHeapForBatchWork } from './heap-tuning.js';
import { main } from './cli.js';
import { ExitCode } from './errors.js';

tuneHeapForBatchWork();

// Node ends a process whose event loop runs dry while the top-level await below
// is still pending with exit code 13 and no word (nodejs.org/api/process.html#exit-codes,
// "Unsettled Top-Level Await"). That would be a bug in entra2ad (some promise
// nobody settles); it must still end with a code from the README's table and a
// line saying what to do, never 13.
let settled = false;
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write(
    'entra2ad: INTERNAL: the command stopped with work still pending and nothing left to finish it (a bug: please report it). ' +
      'apply journals every step: run the same command again to resume.\n',
  );
  process.exitCode = ExitCode.Failure;
});
process.exitCode = await main();
settled = true;
