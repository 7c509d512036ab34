import { describeAnchor, type AnchorForms } from '../anchor/index.js';
import { ExitCode } from '../errors.js';
import type { AnchorArgs } from '../config/flags/anchor.js';
import { processIo, writeOutput, type CommandIo } from '../output.js';

/** The flags of `entra2ad anchor`, checked (src/config/flags/anchor.ts). */
export type AnchorOptions = AnchorArgs;

/**
 * `entra2ad anchor <value>`: the conversion admins do today in PowerShell with
 * [Convert]::ToBase64String([guid]::New(...).ToByteArray()). A GUID prints the
 * immutableId; an immutableId prints the GUID.
 */
export async function anchor(options: AnchorOptions, io: CommandIo = processIo()): Promise<AnchorForms & { exitCode: ExitCode }> {
  const forms = describeAnchor(options.value);
  const isGuidInput = forms.guid === options.value.trim().replace(/^\{|\}$/g, '').toLowerCase();
  writeOutput(options.output, forms, () => (isGuidInput ? forms.immutableId : forms.guid), io.stdout);
  return { ...forms, exitCode: ExitCode.Ok };
}
