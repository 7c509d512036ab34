/**
 * The DC as a container, for machines with Docker but without Samba:
 * docker/samba-dc built and started through testcontainers.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { waitForLdaps } from '../../src/lab/index.js';

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

/** True when testcontainers finds a working container runtime. */
export async function isDockerReachable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function startDockerDc(): Promise<DockerDc> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const context = fileURLToPath(new URL('../../docker/samba-dc/', import.meta.url));
  const image = await GenericContainer.fromDockerfile(context).build('entra2ad/samba-dc:test', { deleteOnExit: false });
  const bindPassword = `Lab-${randomBytes(12).toString('base64url')}-9a`;
  const container = await image
    .withEnvironment({ REALM, DOMAIN: 'CORP', DC_HOSTNAME: 'dc1', ADMIN_PASSWORD: bindPassword })
    .withExposedPorts(636)
    // Provisioning sets NT ACLs as security.* xattrs on sysvol.
    .withAddedCapabilities('SYS_ADMIN')
    .withWaitStrategy(Wait.forLogMessage(/entra2ad-samba-dc: starting samba/))
    .withStartupTimeout(180_000)
    .start();
  try {
    const url = `ldaps://${container.getHost()}:${container.getMappedPort(636)}`;
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
      },
    };
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
}
