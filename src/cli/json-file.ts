/**
 * Every JSON file a `lupa` command reads (a template, an offer, a segment rule): read whole (`-`:
 * standard input), then parsed strictly, so that a file cut short or with a stray comma is refused
 * with its name, line and column (src/core/json-text.ts), as the console's editors show them.
 */
import { readFileSync } from 'node:fs';
import { DomainError } from '../core/errors.ts';
import { parseJsonText } from '../core/json-text.ts';

/** @throws VALIDATION_FAILED (`field`): the file cannot be read (its error code), or is not JSON (line and column). */
export function readJsonFile(file: string, field: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    throw new DomainError('VALIDATION_FAILED', `cannot read ${file === '-' ? 'standard input' : file} (${code})`, { field });
  }
  return parseJsonText(text, file === '-' ? 'standard input' : file, field);
}
