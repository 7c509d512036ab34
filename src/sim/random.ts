/**
 * Seeded randomness for the simulator. Faults, jitter and $batch response order
 * must repeat exactly for the same seed, so nothing here touches Math.random.
 *
 * mulberry32: a tiny 32-bit generator, plenty for test schedules (not crypto).
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Independent streams from one seed, so that e.g. turning on jitter does not
 * change which requests get a fault.
 */
export function randomStream(seed: number, stream: 'faults' | 'jitter' | 'batch' | 'retry' | 'after-commit'): Random {
  const salt = { faults: 0x9e3779b9, jitter: 0x85ebca6b, batch: 0xc2b2ae35, retry: 0x27d4eb2f, 'after-commit': 0x165667b1 }[stream];
  return mulberry32((seed ^ salt) >>> 0);
}

/** Fisher-Yates with the given generator; returns a new array. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
