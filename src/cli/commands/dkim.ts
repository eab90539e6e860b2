/**
 * `lupa dkim generate`: a new DKIM key pair, the private key written readable by its owner only
 * (0600, never over an existing file), and the TXT record to publish, split into 255-character
 * strings. RSA 2048 bits by default (RFC 8301); Ed25519 (RFC 8463) is made for publishing beside an
 * RSA key: Lupa signs with RSA only (docs/going-live.md#dkim).
 */
import { resolve } from 'node:path';
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
        const why = code === 'EEXIST' ? 'it exists already (a key in use is never overwritten: choose another --out, or a new selector)' : `cannot write it (${code})`;
        throw new DomainError('VALIDATION_FAILED', `--out ${file}: ${why}`, { field: 'out' });
      }
      const record = dkimRecord(domain, selector, algorithm, key.publicKey);
      const env = { LUPA_DKIM_DOMAIN: domain, LUPA_DKIM_SELECTOR: selector, LUPA_DKIM_KEY_FILE: file };
      if (opts.json === true) {
        printJson({ domain, selector, algorithm, bits: key.bits, keyFile: file, record, zoneLine: zoneLine(record), env });
        return;
      }
      process.stdout.write(
        [
          `private key (${algorithm}${algorithm === 'rsa' ? `, ${key.bits} bits` : ''}) written to ${file} (mode 0600)`,
          '',
          'publish this TXT record:',
          `  ${zoneLine(record)}`,
          '',
          ...(algorithm === 'rsa'
            ? ['then sign with it (or put it in a brand\'s "dkim" in LUPA_BRANDS_FILE):', ...Object.entries(env).map(([k, v]) => `  ${k}=${v}`)]
            : ['Lupa signs with RSA only: publish this Ed25519 key now beside your RSA key (another selector), for the day it signs with both.']),
          '',
        ].join('\n'),
      );
    });
}
