import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, planStream, type BuildPlanInput, type PlanStream, type PlanTail } from '../../../src/plan/build-plan.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { planFiles, writePlanStream } from '../../../src/report/plan-files.js';
import { NOW, adObject, directory, person, settings } from '../plan/helpers.js';
import { useTempDir } from '../../harness/temp-dir.js';

const tmp = useTempDir('plan-files');

const users = [
  person('Ann', 'Lee', 'ann@contoso.com', { mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com'] }),
  person('Ann', 'Lee', 'ann.lee@contoso.com'),
  person('Gus', 'Guest', 'gus@contoso.com', { userType: 'Guest' }),
  person('Ada', 'Adopted', 'ada@contoso.com'),
  person('=cmd', 'Evil', 'evil@contoso.com'),
];
const inputs: Record<string, BuildPlanInput> = {
  'no directory': { users, settings: settings(), tenantId: 't', now: NOW, toolVersion: '1.0.0' },
  'OU to create, one adopt': {
    users,
    settings: settings(),
    tenantId: 't',
    now: NOW,
    toolVersion: '1.0.0',
    directory: directory([adObject({ dn: 'CN=Ada,OU=Old,DC=corp,DC=example,DC=test', userPrincipalName: 'ada@contoso.com' })], [], false),
  },
  'no users': { users: [], settings: settings(), tenantId: 't', now: NOW, toolVersion: '1.0.0' },
};

describe('writePlanStream', () => {
  it.each(Object.entries(inputs))('writes, entry by entry, the same bytes as the whole plan gives (%s)', async (_name, input) => {
    const { files, tail } = await writePlanStream(tmp.dir, planStream(input));
    const whole = buildPlan(input);
    expect(tail.summary).toEqual(whole.summary);
    const expected = planFiles(whole);
    expect(files.map((f) => f.slice(tmp.dir.length + 1))).toEqual(Object.keys(expected));
    for (const [name, chunks] of Object.entries(expected)) {
      expect(await readFile(join(tmp.dir, name), 'utf8'), name).toBe([...chunks].join(''));
    }
  });

  it('renames nothing into place when planning fails half way, and leaves no temp file', async () => {
    const good = planStream(inputs['no directory']!);
    function* failing(): Generator<PlanEntry, PlanTail> {
      yield good.entries.next().value as PlanEntry;
      throw new Error('the planner failed');
    }
    const stream: PlanStream = { ...good, entries: failing() };
    await expect(writePlanStream(tmp.dir, stream)).rejects.toThrow('the planner failed');
    expect(await readdir(tmp.dir)).toEqual([]);
  });
});
