export * from './errors.js';
export { startSambaDc, type SambaDc, type SambaDcOptions, type SambaDcTimings } from './samba-dc.js';
export { findSambaBinaries, isSambaInstalled, sambaVersion, type SambaBinaries } from './samba-install.js';
export { waitForLdaps, type WaitForLdapsOptions } from './wait-for-ldaps.js';
