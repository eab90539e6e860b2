/**
 * The sending setup the readiness checks and the launch read (core/sending-readiness.ts), built
 * once per process from the configuration: brands (src/brands-config.ts), where mail goes and
 * whether that is the development inbox, the public URL and the return path. DKIM key files are
 * read on first use and kept, so that a command that sends nothing reads none.
 */
import { loadBrands } from './brands-config.ts';
import { readDkimKey } from './channels/email/dkim-keys.ts';
import type { Brand } from './core/brands.ts';
import type { DkimKeyFacts, SendingSetup } from './core/sending-readiness.ts';
import { sendsToDevInbox, type Config } from './config.ts';

export function sendingSetupFrom(config: Config, publicUrl: string): SendingSetup {
  const brands = loadBrands(config);
  const keys = new Map<string, DkimKeyFacts>();
  const keyIn = (file: string): DkimKeyFacts => {
    const known = keys.get(file) ?? readDkimKey(file);
    keys.set(file, known);
    return known;
  };
  return {
    development: sendsToDevInbox(config),
    relay: config.LUPA_SMTP_URL.replace(/\/\/[^@/]*@/, '//'),
    publicUrl,
    bounceDomain: config.LUPA_BOUNCE_DOMAIN,
    bounceReceiver: { port: config.LUPA_BOUNCE_PORT, mxHost: config.LUPA_BOUNCE_MX_HOST ?? hostOf(publicUrl) },
    brands,
    dkimKey(brand: Brand): DkimKeyFacts | null {
      return brand.dkim.state === 'on' ? keyIn(brand.dkim.keyFile) : null;
    },
    ed25519Key(brand: Brand): DkimKeyFacts | null {
      return brand.dkim.state === 'on' && brand.dkim.ed25519.state === 'on' ? keyIn(brand.dkim.ed25519.keyFile) : null;
    },
  };
}

/** Where people reach Lupa: LUPA_PUBLIC_URL, else the server's own address (which only this machine reaches); no trailing slash. */
export function publicUrlOf(config: Pick<Config, 'LUPA_PUBLIC_URL' | 'LUPA_HOST' | 'LUPA_PORT'>): string {
  return (config.LUPA_PUBLIC_URL ?? `http://${config.LUPA_HOST}:${config.LUPA_PORT}`).replace(/\/$/, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
