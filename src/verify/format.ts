/**
 * verify's output: text for people (duplicates first, they are what must be fixed
 * before the sync), CSV in plan.csv's dialect, JSON as is.
 */
import { csvTable } from '../csv.js';
import type { Table } from '../output.js';
import { PREDICTION_KINDS, type Prediction, type PredictionKind, type VerifyResult } from './types.js';

export const VERIFY_CSV_COLUMNS = [
  'userPrincipalName',
  'prediction',
  'reason',
  'message',
  'distinguishedName',
  'objectGuid',
  'anchor',
  'anchorSource',
  'cloudUserPrincipalName',
  'cloudImmutableId',
  'cloudId',
] as const;

/** One row per prediction: `--output csv` (verifyToCsv) and `--output md`. */
export function verifyTable(result: VerifyResult): Table {
  const rows = result.predictions.map((p) => [
    p.userPrincipalName,
    p.kind,
    p.reason,
    p.message,
    p.adDn ?? '',
    p.objectGuid ?? '',
    p.anchor ?? '',
    p.anchorSource ?? '',
    p.cloudUserPrincipalName ?? '',
    p.cloudImmutableId ?? '',
    p.cloudId ?? '',
  ]);
  return { columns: VERIFY_CSV_COLUMNS, rows };
}

export function verifyToCsv(result: VerifyResult): string {
  const { columns, rows } = verifyTable(result);
  return csvTable(columns, rows);
}

/** Worst first: what needs action before the sync comes first. */
const ORDER: readonly PredictionKind[] = ['duplicate', 'blocked', 'soft-match', 'hard-match', 'not-in-scope'];

export function verifySummaryLine(result: VerifyResult): string {
  return `verify (sourceAnchor ${result.sourceAnchor}): ${PREDICTION_KINDS.map((k) => `${k} ${result.summary[k]}`).join(', ')}`;
}

export function verifyToText(result: VerifyResult): string {
  const lines = [verifySummaryLine(result)];
  for (const f of result.tenantFindings ?? []) lines.push(`tenant ${f.level.toUpperCase()} ${f.code}: ${f.message}`);
  const sorted = [...result.predictions].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const p of sorted) lines.push(predictionLine(p));
  return lines.join('\n');
}

export function predictionLine(p: Prediction): string {
  const where = p.adDn ? ` [${p.adDn}]` : '';
  return `${p.kind.padEnd(12)} ${p.userPrincipalName}${where}: ${p.reason}: ${p.message}`;
}
