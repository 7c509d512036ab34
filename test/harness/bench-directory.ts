/**
 * Measures the directory adapter against a fresh lab DC:
 *   - DC provision + start time,
 *   - ms per user: createUser portable sequence (3 requests) vs passwordOnAdd (1),
 *   - ms per objectGUID read.
 * Sequential (one request in flight) and with N in flight on the one connection.
 *
 * Run (root, Samba installed), from a build that includes test/:
 *   npx tsc -p tsconfig.build.json --rootDir . --outDir /tmp/e2a-build && \
 *   ln -sfn "$PWD/node_modules" /tmp/e2a-build/node_modules && \
 *   node /tmp/e2a-build/test/harness/bench-directory.js [users=100] [inFlight=4]
 */
import { childDn, connect, UAC, UAC_DISABLED_USER, type Directory, type NewUserEntry } from '../../src/directory/index.js';
import { startSambaDc } from '../../src/lab/index.js';

function user(ou: string, name: string, mustChange = true): NewUserEntry {
  return {
    dn: childDn(ou, 'CN', name),
    attributes: { sAMAccountName: name, userPrincipalName: `${name}@corp.example.test`, givenName: 'Bench', sn: name, displayName: name },
    userAccountControl: UAC.NORMAL_ACCOUNT,
    mustChangePassword: mustChange,
  };
}

async function timed<T>(label: string, count: number, run: () => Promise<T>): Promise<{ label: string; total: number; perItem: number }> {
  const started = performance.now();
  await run();
  const total = performance.now() - started;
  return { label, total: Math.round(total), perItem: Number((total / count).toFixed(2)) };
}

async function inBatches<T>(items: T[], inFlight: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const inFlight = Number(process.argv[3] ?? 4);
  const password = 'Bench-Pass-2026!x';

  const freshStarted = performance.now();
  const fresh = await startSambaDc({ reuseProvision: false });
  const freshTotal = Math.round(performance.now() - freshStarted);
  const freshTimings = fresh.timings;
  await fresh.stop();

  await using dc = await startSambaDc();
  console.log(
    JSON.stringify({ dcFresh: { ...freshTimings, wallMs: freshTotal }, dcFromTemplate: dc.timings, users: count, inFlight }, null, 2),
  );

  await using dir: Directory = await connect(dc.connectionOptions());
  const ou = childDn(dc.baseDn, 'OU', 'bench');
  await dir.ensureOu(ou);
  const supported = await dir.probePasswordOnAdd(ou);

  const results = [];
  const portable = Array.from({ length: count }, (_, i) => user(ou, `bp-${i}`));
  results.push(await timed('createUser portable (add 514, set password, enable+pwdLastSet), sequential', count, async () => {
    for (const u of portable) await dir.createUser(u, password);
  }));
  results.push(await timed('readObjectGuid, sequential', count, async () => {
    for (const u of portable) await dir.readObjectGuid(u.dn);
  }));
  if (supported) {
    const onAdd = Array.from({ length: count }, (_, i) => user(ou, `ba-${i}`));
    results.push(await timed('createUser passwordOnAdd (1 add), sequential', count, async () => {
      for (const u of onAdd) await dir.createUser(u, password, { passwordOnAdd: true });
    }));
  }
  const portableParallel = Array.from({ length: count }, (_, i) => user(ou, `cp-${i}`));
  results.push(await timed(`createUser portable, ${inFlight} in flight`, count, () =>
    inBatches(portableParallel, inFlight, (u) => dir.createUser(u, password)),
  ));
  if (supported) {
    const onAddParallel = Array.from({ length: count }, (_, i) => user(ou, `ca-${i}`));
    results.push(await timed(`createUser passwordOnAdd, ${inFlight} in flight`, count, () =>
      inBatches(onAddParallel, inFlight, (u) => dir.createUser(u, password, { passwordOnAdd: true })),
    ));
  }
  results.push(await timed(`readObjectGuid, ${inFlight} in flight`, count, () => inBatches(portableParallel, inFlight, (u) => dir.readObjectGuid(u.dn))));
  results.push(await timed('readSnapshot (whole domain)', 1, () => dir.readSnapshot({ targetOu: ou })));
  const noPassword = Array.from({ length: count }, (_, i) => ({ ...user(ou, `bn-${i}`, false), userAccountControl: UAC_DISABLED_USER }));
  results.push(await timed('createUser without password (1 add), sequential', count, async () => {
    for (const u of noPassword) await dir.createUser(u);
  }));

  console.log(JSON.stringify({ passwordOnAddSupported: supported, results }, null, 2));
}

await main();
