import { debuglog } from 'node:util';

/** `NODE_DEBUG=entra2ad` shows the lab's steps and timings (never the admin password). */
export const debug = debuglog('entra2ad');
