/**
 * The first free suffixed form of a taken name (`John Smith (2)`, `jsmith2`), shared by
 * the CN and sAMAccountName allocators. Amortised O(1) per name: the next suffix to try
 * is remembered per base, so 10,000 "John Smith"s do not rescan 2..n each.
 */
export class SuffixCounter {
  private readonly next = new Map<string, number>();

  /**
   * `suffixed(base, n)` for the lowest n that is not taken, from 2 or from past the last
   * one handed out for `key` (the base as its allocator compares names).
   */
  firstFree(base: string, key: string, suffixed: (base: string, n: number) => string, isTaken: (name: string) => boolean): string {
    let n = this.next.get(key) ?? 2;
    let name = suffixed(base, n);
    while (isTaken(name)) {
      n++;
      name = suffixed(base, n);
    }
    this.next.set(key, n + 1);
    return name;
  }
}
