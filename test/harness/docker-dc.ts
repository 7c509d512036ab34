/**
 * The DC as a container, for machines with Docker but without Samba:
 * docker/samba-dc built and started through testcontainers.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { waitForLdaps } from '../../src/lab/index.js';
import { exec } from '../../src/lab/exec.js';
import { claimLoopbackAddress, releaseLoopbackAddress } from '../../src/lab/loopback.js';

export interface DockerDc {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  caPem: string;
  servername: string;
  stop(): Promise<void>;
}

const REALM = 'CORP.EXAMPLE.TEST';
const SAMBA_DIR = '/var/lib/samba-dc';
const IMAGE = 'entra2ad/samba-dc:test';

/** True when testcontainers finds a working container runtime. */
export async function isDockerReachable(): Promise<boolean> {
  try {
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * The same settings as docker/compose.yaml: host networking, samba on one loopback
 * address of its own (claimed on lo, as the Samba lab does), never a bridge or a
 * port mapping. The image is built with the Docker CLI because the build needs the
 * host network for apt-get (testcontainers' builder has no network option);
 * BASE_IMAGE names a base imported without a registry (README, "A lab DC in Docker").
 */
export async function startDockerDc(): Promise<DockerDc> {
  // Ryuk, testcontainers' reaper, is an image from Docker Hub; this teardown stops the container itself.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // With no bridge network (dockerd --bridge=none) testcontainers cannot look the host up
  // from the bridge's gateway; with host networking the host is this machine.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const { GenericContainer, Wait } = await import('testcontainers');
  const context = fileURLToPath(new URL('../../docker/samba-dc/', import.meta.url));
  const baseImage = process.env.BASE_IMAGE ?? 'debian:bookworm-slim';
  await exec('docker', ['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${baseImage}`, '-t', IMAGE, context]);
  const address = await claimLoopbackAddress();
  const bindPassword = `Lab-${randomBytes(12).toString('base64url')}-9a`;
  let container;
  try {
    container = await new GenericContainer(IMAGE)
      .withEnvironment({ REALM, DOMAIN: 'CORP', DC_HOSTNAME: 'dc1', ADMIN_PASSWORD: bindPassword, LDAP_ADDRESS: address })
      .withNetworkMode('host')
      // Provisioning sets NT ACLs as security.* xattrs on sysvol.
      .withAddedCapabilities('SYS_ADMIN')
      .withWaitStrategy(Wait.forLogMessage(/entra2ad-samba-dc: starting samba/))
      .withStartupTimeout(180_000)
      .start();
  } catch (error) {
    await releaseLoopbackAddress(address);
    throw error;
  }
  try {
    const url = `ldaps://${address}:636`;
    const baseDn = 'DC=corp,DC=example,DC=test';
    const bindDn = `CN=Administrator,CN=Users,${baseDn}`;
    const servername = `dc1.${REALM.toLowerCase()}`;
    // Samba writes its CA on first start: wait for an answer, then fetch the CA and prove a verified bind.
    await waitForLdaps({ connection: { url, bindDn, bindPassword, insecureTls: true }, timeoutMs: 120_000 });
    const ca = await container.exec(['cat', `${SAMBA_DIR}/private/tls/ca.pem`]);
    if (ca.exitCode !== 0) throw new Error(`cannot read the container's CA: ${ca.stderr}`);
    await waitForLdaps({ connection: { url, bindDn, bindPassword, ca: ca.stdout, servername }, timeoutMs: 30_000 });
    return {
      url,
      bindDn,
      bindPassword,
      baseDn,
      caPem: ca.stdout,
      servername,
      stop: async () => {
        await container.stop();
        await releaseLoopbackAddress(address);
      },
    };
  } catch (error) {
    await container.stop().catch(() => undefined);
    await releaseLoopbackAddress(address);
    throw error;
  }
}
