/** The sending readiness report as text: `lupa doctor` prints it whole, `lupa serve`'s banner the items. */
import { zoneLine } from '../core/dns-records.ts';
import type { ReadinessItem } from '../core/sending-readiness.ts';
import type { ReadinessReport } from '../use-cases/sending-readiness.ts';

const MARK: Record<ReadinessItem['status'], string> = { ok: 'ok', warning: 'warning', blocking: 'BLOCKING' };

/** One line per item (`  ok        public_url  …`), and its fix below when it has one. */
export function readinessItemLines(items: readonly ReadinessItem[], indent = '  '): string[] {
  const width = Math.max(...items.map((i) => i.id.length));
  return items.flatMap((i) => [
    `${indent}${MARK[i.status].padEnd(9)} ${i.id.padEnd(width)}  ${i.summary}`,
    ...(i.fix === undefined ? [] : [`${indent}${' '.repeat(10 + width + 2)}fix: ${i.fix}`]),
  ]);
}

/** The verdict in one line. */
export function readinessVerdict(report: ReadinessReport): string {
  const blocking = report.items.filter((i) => i.status === 'blocking').length;
  const warnings = report.items.filter((i) => i.status === 'warning').length;
  if (blocking > 0) return `${blocking} item(s) blocking: marketing e-mail campaigns are refused until they are fixed (${warnings} warning(s))`;
  return report.development
    ? `nothing blocks sending to the development inbox (${warnings} warning(s): what real sending would need)`
    : `nothing blocks sending (${warnings} warning(s))`;
}

export function readinessText(report: ReadinessReport): string {
  const lines = [
    `Sending readiness (${report.development ? 'development inbox' : 'real sending'}: ${report.relay})`,
    ...readinessItemLines(report.items),
    '',
    report.records.length === 0 ? 'DNS records to publish: none yet (see the items above)' : 'DNS records to publish (zone-file lines; long TXT values are split into 255-character strings):',
    ...report.records.flatMap((r) => [`  ; ${r.purpose}`, `  ${zoneLine(r)}`]),
    '',
    'Not checked here (see docs/going-live.md):',
    ...report.notChecked.map((n) => `  - ${n}`),
    '',
    readinessVerdict(report),
  ];
  return `${lines.join('\n')}\n`;
}
