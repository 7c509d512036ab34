/**
 * Preloaded into the entra2ad child processes the benchmark runs
 * (`node --import <dist/bench/rss-hook.js> dist/bin.js plan ...`): when the
 * process exits it writes its own resource usage (peak RSS, CPU) as JSON to
 * ENTRA2AD_BENCH_USAGE_FILE. Nothing in the tool changes; without the variable
 * the hook does nothing.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.ENTRA2AD_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const heap = process.memoryUsage();
    try {
      writeFileSync(
        file,
        JSON.stringify({
          maxRssKb: usage.maxRSS,
          userCpuMs: Math.round(usage.userCPUTime / 1000),
          systemCpuMs: Math.round(usage.systemCPUTime / 1000),
          heapUsedAtExitMb: Math.round(heap.heapUsed / 1e6),
        }),
      );
    } catch {
      // Best effort: a missing figure is reported as such by the benchmark.
    }
  });
}
