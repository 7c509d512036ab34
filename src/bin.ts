#!/usr/bin/env node
import { tuneHeapForBatchWork } from './heap-tuning.js';
import { main } from './cli.js';

tuneHeapForBatchWork();
process.exitCode = await main();
