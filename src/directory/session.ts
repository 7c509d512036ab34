/**
 * One bound LDAP connection plus the rule that every call on it is timed in
 * the debug trail and every failure leaves as a DirectoryError.
 */
import type { Client, Entry, SearchOptions } from 'ldapts';
import { debug } from './debug.js';
import { toDirectoryError, type ErrorSite } from './errors.js';
import type { ResolvedTransport } from './options.js';

export class Session {
  constructor(
    readonly client: Client,
    readonly transport: ResolvedTransport,
  ) {}

  /** Runs one protocol exchange; `site` names it in the debug trail and in errors. */
  async run<T>(site: ErrorSite, exchange: (client: Client) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await exchange(this.client);
      debug('directory: %s %s ok %dms', site.operation, site.dn ?? '', Math.round(performance.now() - started));
      return result;
    } catch (error) {
      const translated = toDirectoryError(error, site);
      debug(
        'directory: %s %s failed %dms: %s',
        site.operation,
        site.dn ?? '',
        Math.round(performance.now() - started),
        translated.reason,
      );
      throw translated;
    }
  }

  /** A search; `paged` lets the DC answer in pages (RFC 2696) so MaxPageSize (1000 on AD) never truncates. */
  async search(base: string, options: SearchOptions, site: ErrorSite): Promise<Entry[]> {
    const result = await this.run(site, (client) => client.search(base, options));
    return result.searchEntries;
  }
}
