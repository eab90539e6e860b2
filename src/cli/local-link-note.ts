/**
 * A link the CLI prints for someone else to open (a set-password link, the advertisers' catalogue)
 * starts with LUPA_PUBLIC_URL: the command builds it from its own settings and does not ask the
 * running server. Without LUPA_PUBLIC_URL it is this shell's LUPA_HOST and LUPA_PORT, which only
 * this machine may reach, and which are the server's only when the server was started with the same
 * settings: a note on stderr says so and how to set the public address. Null when it is set.
 */
import type { App } from '../app.ts';

/**
 * @param reached what the link opens ("the console", "the catalogue page")
 * @param again the command that prints a new link
 */
export function localLinkNote(app: App, reached: string, again: string): string | null {
  if (app.config.LUPA_PUBLIC_URL !== undefined) return null;
  return (
    `note: LUPA_PUBLIC_URL is not set, so this link assumes ${reached} is reached at ${app.publicUrl} ` +
    `(LUPA_HOST and LUPA_PORT of this shell, which must be the server's). If people reach it elsewhere, set the public address, e.g. ` +
    `export LUPA_PUBLIC_URL=https://lupa.example.fi, and print a new link: ${again}\n`
  );
}
