/**
 * The integration harness's fallback where only Docker is available
 * (test/harness/docker-dc.ts, through testcontainers): it starts the DC with the
 * settings of docker/compose.yaml and hands out a verified-TLS connection.
 */
import { expect, it } from 'vitest';
import { connect } from '../../src/directory/index.js';
import { startDockerDc } from '../harness/docker-dc.js';
it('starts the DC on a loopback address and binds to it with TLS verified', async () => {
  const t0 = performance.now();
  const dc = await startDockerDc();
  try {
    process.stderr.write(`[entra2ad] testcontainers DC ready in ${Math.round(performance.now() - t0)} ms at ${dc.url}\n`);
    const d = await connect({ url: dc.url, bindDn: dc.bindDn, bindPassword: dc.bindPassword, ca: dc.caPem, servername: dc.servername });
    await d.close();
    expect(dc.url).toMatch(/^ldaps:\/\/127\./);
  } finally {
    await dc.stop();
  }
  // Stopped: nothing answers there any more.
  await expect(connect({ url: dc.url, bindDn: dc.bindDn, bindPassword: dc.bindPassword, ca: dc.caPem, servername: dc.servername, connectTimeoutMs: 3000 })).rejects.toThrow();
});
