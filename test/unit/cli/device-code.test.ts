/**
 * `--auth device-code`: the sign-in message (the page and the code to enter) is the
 * command's stderr output, as the person at the terminal must see it, never stdout
 * (data) and never process.stderr behind the command's back. The credential is
 * replaced by one that shows the message and then fails the way an expired code
 * does (AADSTS70019), so nothing leaves the process.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceCodeInfo } from '@azure/identity';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli.js';
import { createCredential, resolveCloudOptions } from '../../../src/cloud/index.js';
import type { CommandIo } from '../../../src/output.js';

const MESSAGE = 'To sign in, use a web browser to open the page https://127.0.0.1:9/devicelogin and enter the code UNITTEST1 to authenticate.';
const INFO: DeviceCodeInfo = { message: MESSAGE, userCode: 'UNITTEST1', verificationUri: 'https://127.0.0.1:9/devicelogin' };

vi.mock('@azure/identity', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@azure/identity')>();
  class ShowsTheCodeThenExpires {
    constructor(readonly options: { userPromptCallback?: (info: DeviceCodeInfo) => void }) {}
    async getToken(): Promise<never> {
      await this.options.userPromptCallback?.({ message: 'To sign in, use a web browser to open the page https://127.0.0.1:9/devicelogin and enter the code UNITTEST1 to authenticate.', userCode: 'UNITTEST1', verificationUri: 'https://127.0.0.1:9/devicelogin' });
      throw new Error('AADSTS70019: Verification code expired.');
    }
  }
  return { ...actual, DeviceCodeCredential: ShowsTheCodeThenExpires };
});

function buffers(): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, out: () => out, err: () => err };
}

const CLOUD_FLAGS = [
  '--auth', 'device-code',
  '--tenant-id', '11111111-2222-4333-8444-555555555555',
  '--client-id', '22222222-3333-4444-8555-666666666666',
  '--graph-url', 'https://127.0.0.1:9',
  '--authority-host', 'https://127.0.0.1:9',
];

afterEach(() => vi.restoreAllMocks());

describe('the device-code sign-in message', () => {
  it.each([
    ['plan (and apply, verify, preflight: the same option resolution)', (dir: string) => ['plan', ...CLOUD_FLAGS, '--target-ou', 'OU=Cloud,DC=corp,DC=test', '--out', dir]],
    ['snapshot', (dir: string) => ['snapshot', ...CLOUD_FLAGS, '--out', join(dir, 'tenant.json')]],
  ])('%s: on the command stderr once, not on stdout, not on process.stderr', async (_name, argv) => {
    const processStderr = vi.spyOn(process.stderr, 'write');
    const io = buffers();
    const code = await main(argv(mkdtempSync(join(tmpdir(), 'entra2ad-device-code-'))), io);
    expect(code, io.err()).toBe(1);
    expect(io.err().split('\n').filter((line) => line === MESSAGE)).toHaveLength(1);
    expect(io.err()).toMatch(/AUTH_FAILED|AADSTS70019/);
    expect(io.out()).not.toContain('UNITTEST1');
    expect(processStderr.mock.calls.filter(([text]) => String(text).includes('UNITTEST1'))).toEqual([]);
  });

  it('a library caller that names no hook: process.stderr, never stdout (the library default would be console.log)', () => {
    const processStderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const processStdout = vi.spyOn(process.stdout, 'write');
    const credential = createCredential(resolveCloudOptions({ auth: 'device-code', tenantId: 't', clientId: 'c' }, {})) as unknown as { options: { userPromptCallback: (info: DeviceCodeInfo) => void } };
    credential.options.userPromptCallback(INFO);
    expect(processStderr).toHaveBeenCalledWith(`${MESSAGE}\n`);
    expect(processStdout.mock.calls.filter(([text]) => String(text).includes('UNITTEST1'))).toEqual([]);
  });
});
