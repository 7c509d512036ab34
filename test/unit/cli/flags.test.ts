/**
 * The command line in process, for each command: a bad flag value is exit 2 with a
 * line naming the flag, before anything is read or written; --help shows each
 * command's examples and which output formats it takes.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import { buffers, help } from './in-process.js';

describe('a bad flag value: exit 2, the flag named, nothing done', () => {
  it.each<[string[], RegExp]>([
    [['apply', '--plan', 'PLAN', '--dc-outage-limit', '90000'], /^entra2ad: FLAGS_INVALID \(--dc-outage-limit\): 1 invalid flag value\(s\); nothing was done:\n {2}- --dc-outage-limit: 90000; it takes a whole number from 0 to 86400\n$/],
    [['rollback', '--run', 'DIR', '--delete', '--directory-concurrency', '0'], /^entra2ad: FLAGS_INVALID \(--directory-concurrency\): /],
    [['sim', '--tenant', 'DIR/t.json', '--port', 'abc'], /--port: not a number; it takes a number/],
    [['verify', '--output', 'xml'], /^entra2ad: USAGE: Invalid values:\n.*Argument: output, Given: "xml", Choices: "text", "json", "csv", "md", "none"/],
    [['plan', '--out', 'DIR', '--output', 'csv'], /Argument: output, Given: "csv", Choices: "text", "json", "none"/],
    [['preflight', '--password-mode', 'weak'], /Argument: password-mode, Given: "weak"/],
    [['rollback', '--run', 'DIR', '--delete', '--disable'], /^entra2ad: USAGE: Arguments delete and disable are mutually exclusive/],
    [['snapshot'], /^entra2ad: USAGE: Missing required argument: out/],
  ])('%j', async (argv, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'entra2ad-flags-'));
    const io = buffers();
    const code = await main(
      argv.map((a) => a.replace(/^PLAN$/, join(dir, 'plan.json')).replace(/^DIR/, dir)),
      io,
    );
    expect(code, io.err()).toBe(2);
    expect(io.err()).toMatch(expected);
    expect(io.out()).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('--help', () => {
  it.each([
    ['plan', /entra2ad plan --config entra2ad\.json --out run-2026-11-22/],
    ['apply', /entra2ad apply --config entra2ad\.json --plan run-2026-11-22\/plan\.json/],
    ['verify', /entra2ad verify --config entra2ad\.json --scope domain --output csv/],
    ['rollback', /entra2ad rollback --config entra2ad\.json --run run-2026-11-22 --delete/],
    ['anchor', /entra2ad anchor f7cc07d7-7c15-447d-876d-c01b0e5a9e38/],
    ['preflight', /entra2ad preflight --config entra2ad\.json/],
    ['sim', /entra2ad sim --tenant tenant\.json/],
    ['snapshot', /entra2ad snapshot --tenant-id/],
  ])('%s shows its examples', async (command, example) => {
    const text = await help(command);
    expect(text).toContain('Examples:');
    expect(text).toMatch(example);
  });

  it.each(['verify', 'preflight'])('%s lists users: --output takes csv and md', async (command) => {
    expect(await help(command)).toContain('[choices: "text", "json", "csv", "md", "none"] [default: "text"]');
  });

  it.each(['plan', 'apply', 'rollback', 'anchor', 'snapshot'])('%s lists no users: --output is text|json|none and says so', async (command) => {
    const line = (await help(command)).split('\n').find((l) => l.includes('--output'))!;
    expect(line).toContain('[choices: "text", "json", "none"]');
    expect(line).toContain('no csv/md: this command lists no users');
  });

  it('the flag groups stay: sign-in, LDAP and planning under their headings', async () => {
    const text = await help('plan');
    for (const heading of ['Planning (override the config file):', 'Microsoft Graph sign-in:', 'Active Directory (LDAPS):']) expect(text).toContain(heading);
    expect(text.indexOf('--target-ou')).toBeGreaterThan(text.indexOf('Planning (override the config file):'));
    expect(text.indexOf('--ldap-url')).toBeGreaterThan(text.indexOf('Active Directory (LDAPS):'));
  });
});
