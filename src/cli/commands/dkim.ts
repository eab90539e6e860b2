/**
 * `lupa dkim generate`: a new DKIM key pair, the private key written readable by its owner only
 * (0600, never over an existing file), and the TXT record to publish, split into 255-character
 * strings. RSA 2048 bits by default (RFC 8301); Ed25519 (RFC 8463) is a second key, signed beside
 * the RSA one (docs/going-live.md#dkim). The key is written where --out says (by default the
 * current directory); the output names the file, and warns when it is inside a Git working tree,
 * where it must not be committed.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DomainError } from '../../core/errors.ts';
import { dkimRecord, zoneLine, type DkimAlgorithm } from '../../core/dns-records.ts';
import { printJson } from '../context.ts';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const SELECTOR = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

interface GenerateOptions {
  domain: string;
  selector: string;
  algorithm: string;
  out?: string;
  json?: boolean;
}

export function registerDkim(program: Command): void {
  const dkim = program.command('dkim').description('DKIM keys for signing e-mail');
  dkim
    .command('generate')
    .description('create a key pair, write the private key (mode 0600) and print the TXT record to publish')
    .requiredOption('--domain <domain>', 'the signing domain, d= (e.g. uutisvirta.fi)')
    .requiredOption('--selector <selector>', 'the selector, s= (e.g. lupa2026): the record goes at SELECTOR._domainkey.DOMAIN')
    .option('--algorithm <algorithm>', 'rsa (2048 bits) or ed25519', 'rsa')
    .option('--out <file>', 'where to write the private key (never over an existing file)', undefined)
    .option('--json', 'print one JSON object')
    .action(async (opts: GenerateOptions) => {
      const domain = opts.domain.toLowerCase().replace(/\.$/, '');
      const selector = opts.selector.toLowerCase();
      if (!DOMAIN.test(domain)) throw new DomainError('VALIDATION_FAILED', 'domain must be a domain name such as uutisvirta.fi', { field: 'domain' });
      if (!SELECTOR.test(selector)) throw new DomainError('VALIDATION_FAILED', 'selector must be DNS labels: letters, digits and - (e.g. lupa2026)', { field: 'selector' });
      if (opts.algorithm !== 'rsa' && opts.algorithm !== 'ed25519') throw new DomainError('VALIDATION_FAILED', 'algorithm must be rsa or ed25519', { field: 'algorithm' });
      const algorithm: DkimAlgorithm = opts.algorithm;
      const file = resolve(opts.out ?? `${selector}.${domain}.${algorithm}.pem`);
      const { generateDkimKey, writePrivateKey } = await import('../../channels/email/dkim-keys.ts');
      const key = generateDkimKey(algorithm);
      try {
        writePrivateKey(file, key.privateKeyPem);
      } catch (err) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unwritable';
        throw new DomainError('VALIDATION_FAILED', `--out ${file}: ${unwritable(code, dirname(file))}`, { field: 'out' });
      }
      const record = dkimRecord(domain, selector, algorithm, key.publicKey);
      const env =
        algorithm === 'rsa'
          ? { LUPA_DKIM_DOMAIN: domain, LUPA_DKIM_SELECTOR: selector, LUPA_DKIM_KEY_FILE: file }
          : { LUPA_DKIM_ED25519_SELECTOR: selector, LUPA_DKIM_ED25519_KEY_FILE: file };
      const workingTree = gitWorkingTreeOf(file);
      if (opts.json === true) {
        printJson({ domain, selector, algorithm, bits: key.bits, keyFile: file, gitWorkingTree: workingTree, record, zoneLine: zoneLine(record), env });
        return;
      }
      process.stdout.write(
        [
          `private key (${algorithm}${algorithm === 'rsa' ? `, ${key.bits} bits` : ''}) written to ${file} (mode 0600)`,
          'keep it secret: anyone with this file can sign mail as your domain. Never commit it or put it in a shared folder; keep a backup where only administrators can read it.',
          ...(workingTree === null ? [] : [`warning: ${file} is inside the Git working tree ${workingTree}: do not commit it; move it outside (e.g. /etc/lupa/dkim/, readable by the user Lupa runs as only) and point the key file setting there`]),
          '',
          'publish this TXT record:',
          `  ${zoneLine(record)}`,
          '',
          ...(algorithm === 'rsa'
            ? ['then sign with it (or put it in a brand\'s "dkim" in LUPA_BRANDS_FILE):', ...exportLines(env)]
            : [
                `Ed25519 signs beside an RSA key of the same domain, never alone (many receivers do not verify Ed25519 yet). With the RSA key's LUPA_DKIM_DOMAIN=${domain}, LUPA_DKIM_SELECTOR and LUPA_DKIM_KEY_FILE set, add (or put it in a brand's "dkim": "ed25519" in LUPA_BRANDS_FILE):`,
                ...exportLines(env),
              ]),
          '',
        ].join('\n'),
      );
    });
}

/** The settings as lines a shell takes as they are (`export NAME='value'`), as docs/going-live.md writes them. */
function exportLines(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`  export ${k}='${v.replaceAll("'", "'\\''")}'`]));
}

/** Why a key file could not be written, with what to do. */
function unwritable(code: string, directory: string): string {
  if (code === 'EEXIST') return 'it exists already (a key in use is never overwritten: choose another --out, or a new selector)';
  if (code === 'ENOENT') return `the directory ${directory} does not exist: create it first (mkdir -p -m 700 ${directory}), or choose another --out`;
  if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${directory}: run as a user who may (the one Lupa runs as, or root, then give the file to that user), or choose another --out`;
  return `cannot write it (${code})`;
}

/** The Git working tree a file is in (the nearest directory above it with a .git), or null. */
function gitWorkingTreeOf(file: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}
