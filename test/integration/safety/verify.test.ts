/**
 * `entra2ad verify` against the harness DC and the simulator:
 * - an AD user made with the wrong anchor for a cloud user that has an
 *   immutableId -> duplicate (exit 4), saying why;
 * - a user entra2ad created and anchored -> hard-match;
 * - an AD object whose anchor is a role holder's immutableId -> blocked;
 * - --scope domain also lists cloud users that have no AD object.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectDirectory } from '../../harness/dc.js';
import { newUser, strongPassword } from '../../harness/users.js';
import { type Rig, taggedRig } from '../../harness/rig.js';
import { describeRun } from '../../harness/run-cli.js';
import { GLOBAL_ADMIN, taggedUser, tag, buildTenant } from '../../harness/tenant.js';

interface Out {
  sourceAnchor: string;
  summary: Record<string, number>;
  predictions: { userPrincipalName: string; kind: string; reason: string; message: string; cloudId?: string }[];
}

const t = tag();
const adminAnchor = randomBytes(16);
const dup = taggedUser('dup', t, { onPremisesImmutableId: randomBytes(16).toString('base64') });
const admin = taggedUser('admin', t, { onPremisesImmutableId: adminAnchor.toString('base64') });
const ok = taggedUser('ok', t);
const lonely = taggedUser('lonely', t);
let r: Rig;
let applyStderr: string;

beforeAll(async () => {
  r = await taggedRig(buildTenant({ users: [dup, admin, ok, lonely], active: [[admin.id, GLOBAL_ADMIN]] }), t);
  {
    await using dir = await connectDirectory();
    await dir.ensureOu(r.ou);
    // Someone created dup's AD user by hand, with a fresh (wrong) ConsistencyGuid.
    await dir.createUser(newUser(r.ou, { cn: `dup ${t}`, attributes: { userPrincipalName: dup.userPrincipalName, mail: dup.mail! }, consistencyGuid: randomBytes(16) }), strongPassword());
    // And one whose anchor is the Global Administrator's immutableId.
    await dir.createUser(newUser(r.ou, { cn: `admin ${t}`, attributes: { userPrincipalName: admin.userPrincipalName }, consistencyGuid: adminAnchor }), strongPassword());
  }
  // entra2ad creates and anchors ok (dup and admin already carry an immutableId: skipped).
  const applied = await r.run('apply', ['--out', r.dir, '--yes', '--config', await configOnly(r, [ok.userPrincipalName])]);
  expect(applied.code, describeRun(applied)).toBe(0);
  applyStderr = applied.stderr;
});

/** A config file limiting the plan to these users. */
async function configOnly(rg: Rig, upns: string[]): Promise<string> {
  const file = join(rg.dir, 'config.json');
  await writeFile(file, JSON.stringify({ plan: { scope: { includeUpns: upns } } }));
  return file;
}

const byUpn = (out: Out) => Object.fromEntries(out.predictions.map((p) => [p.userPrincipalName.toLowerCase(), p]));

describe('verify', () => {
  it('apply ends with the prediction for its own users', () => {
    expect(applyStderr).toMatch(/verify \(sourceAnchor ms-DS-ConsistencyGuid\): hard-match 1, soft-match 0, duplicate 0, blocked 0, not-in-scope 0/);
  });

  it('target OU: duplicate for the wrong GUID (exit 4), hard-match after apply, blocked for the role holder', async () => {
    const v = await r.run('verify', ['--output', 'json']);
    expect(v.code, describeRun(v)).toBe(4);
    expect(v.stderr).toMatch(/1 AD user\(s\) would become DUPLICATE cloud users/);
    const out = JSON.parse(v.stdout) as Out;
    expect(out.sourceAnchor).toBe('ms-DS-ConsistencyGuid');
    const p = byUpn(out);
    expect(p[dup.userPrincipalName.toLowerCase()]).toMatchObject({ kind: 'duplicate', reason: 'DUPLICATE_IMMUTABLE_ID_DIFFERS', cloudId: dup.id });
    expect(p[dup.userPrincipalName.toLowerCase()]!.message).toContain(dup.onPremisesImmutableId!);
    expect(p[dup.userPrincipalName.toLowerCase()]!.message).toMatch(/stamp mS-DS-ConsistencyGuid/);
    expect(p[ok.userPrincipalName.toLowerCase()]).toMatchObject({ kind: 'hard-match', reason: 'HARD_MATCH' });
    expect(p[admin.userPrincipalName.toLowerCase()]).toMatchObject({ kind: 'blocked', reason: 'BLOCKED_PRIVILEGED_ROLE' });
    expect(p[admin.userPrincipalName.toLowerCase()]!.message).toMatch(/Global Administrator.*InvalidHardMatch/s);
    expect(p[lonely.userPrincipalName.toLowerCase()]).toBeUndefined(); // an OU says nothing about users elsewhere
    expect(out.summary).toMatchObject({ 'hard-match': 1, duplicate: 1, blocked: 1 });
  });

  it('CSV output, same prediction', async () => {
    const v = await r.run('verify', ['--output', 'csv']);
    expect(v.code, describeRun(v)).toBe(4);
    const rows = parse(v.stdout, { bom: true, columns: true }) as Record<string, string>[];
    const kinds = Object.fromEntries(rows.map((row) => [row['userPrincipalName']!.toLowerCase(), row['prediction']]));
    expect(kinds).toMatchObject({ [dup.userPrincipalName.toLowerCase()]: 'duplicate', [ok.userPrincipalName.toLowerCase()]: 'hard-match', [admin.userPrincipalName.toLowerCase()]: 'blocked' });
  });

  it('Markdown output: the same rows as a GitHub table, same exit code', async () => {
    const v = await r.run('verify', ['--output', 'md']);
    expect(v.code, describeRun(v)).toBe(4);
    const lines = v.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\| userPrincipalName \| prediction \| reason \| message \|/);
    expect(lines[1]).toMatch(/^\|(---\|)+$/);
    // One line per user, each cell between unescaped pipes: the prediction is the second cell.
    const kinds = Object.fromEntries(lines.slice(2).map((line) => line.split(/(?<!\\)\|/).map((c) => c.trim())).map((c) => [c[1]!.toLowerCase(), c[2]]));
    expect(kinds).toMatchObject({ [dup.userPrincipalName.toLowerCase()]: 'duplicate', [ok.userPrincipalName.toLowerCase()]: 'hard-match', [admin.userPrincipalName.toLowerCase()]: 'blocked' });
  });

  it('--scope domain: cloud users without any AD object are reported not-in-scope', async () => {
    const v = await r.run('verify', ['--output', 'json', '--scope', 'domain']);
    expect(v.code, describeRun(v)).toBe(4);
    const p = byUpn(JSON.parse(v.stdout) as Out);
    expect(p[lonely.userPrincipalName.toLowerCase()]).toMatchObject({ kind: 'not-in-scope', reason: 'NOT_IN_SCOPE_NO_AD_OBJECT' });
    expect(p[ok.userPrincipalName.toLowerCase()]).toMatchObject({ kind: 'hard-match' });
  });
});
