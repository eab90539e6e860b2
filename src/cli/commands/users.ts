/**
 * `lupa users`: console users (people; programs use `lupa keys`). A user gets a password from stdin
 * (`--password-stdin`, so it never appears in the shell history or the process list) or a printed
 * one-time link to set it in the browser.
 */
import type { Command } from 'commander';
import type { App } from '../../app.ts';
import { DomainError } from '../../core/errors.ts';
import { printJson, withApp } from '../context.ts';
import { localLinkNote } from '../local-link-note.ts';

/** The password piped to the command: everything on stdin, without one trailing line break. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY === true) process.stderr.write('password (end with Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new DomainError('VALIDATION_FAILED', 'no password on stdin', { field: 'password' });
  return text;
}

async function userDeps(app: App) {
  const { consoleDeps } = await import('../../app.ts');
  return consoleDeps(app);
}

/**
 * The set-password link at LUPA_PUBLIC_URL (the console's address people reach). The token travels
 * in the fragment: browsers never send it to a server or in a Referer.
 */
function passwordLink(app: App, token: string): string {
  return `${app.publicUrl}/set-password#token=${token}`;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('manage console users: people who sign in at / (roles: admin, marketer, agent, dpo, analyst)');
  users
    .command('create')
    .description('create a console user; prints a one-time link to set the password unless --password-stdin')
    .requiredOption('--email <email>', 'the e-mail the person signs in with')
    .requiredOption('--role <role>', 'admin, marketer, agent, dpo or analyst')
    .option('--password-stdin', 'read the password from stdin (12–256 characters)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { email: string; role: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      const password = opts.passwordStdin === true ? await passwordFromStdin() : undefined;
      const { createConsoleUser } = await import('../../use-cases/console-users.ts');
      const result = await withApp(cmd, async (app) => {
        const created = await createConsoleUser(await userDeps(app), { email: opts.email, role: opts.role, ...(password === undefined ? {} : { password }) });
        const link = created.passwordToken === null ? null : passwordLink(app, created.passwordToken);
        return { ...created, link, note: link === null ? null : localLinkNote(app, 'the console', `lupa users passwd --email ${created.user.email} --link`) };
      });
      if (result.note !== null) process.stderr.write(result.note);
      if (opts.json === true) printJson({ user: result.user, passwordLink: result.link });
      else {
        process.stdout.write(`created ${result.user.email} (${result.user.role}, ${result.user.id})\n`);
        if (result.link !== null) process.stdout.write(`set the password within 72 hours, once, at:\n${result.link}\n`);
      }
    });
  users
    .command('passwd')
    .description("set a user's password (--password-stdin) or print a new one-time link to set it (--link); ends the user's sessions")
    .requiredOption('--email <email>', "the user's e-mail")
    .option('--password-stdin', 'read the new password from stdin')
    .option('--link', 'print a one-time link instead')
    .action(async (opts: { email: string; passwordStdin?: boolean; link?: boolean }, cmd: Command) => {
      if ((opts.passwordStdin === true) === (opts.link === true)) {
        throw new DomainError('VALIDATION_FAILED', 'give exactly one of --password-stdin and --link', { field: 'password' });
      }
      const password = opts.passwordStdin === true ? await passwordFromStdin() : undefined;
      const { setConsolePassword, passwordLinkFor } = await import('../../use-cases/console-users.ts');
      const out = await withApp(cmd, async (app) => {
        const deps = await userDeps(app);
        if (password !== undefined) {
          const user = await setConsolePassword(deps, { email: opts.email, password });
          return { text: `password set for ${user.email}; their sessions are ended\n`, note: null };
        }
        const link = passwordLink(app, await passwordLinkFor(deps, opts));
        return { text: `set the password within 72 hours, once, at:\n${link}\n`, note: localLinkNote(app, 'the console', `lupa users passwd --email ${opts.email} --link`) };
      });
      if (out.note !== null) process.stderr.write(out.note);
      process.stdout.write(out.text);
    });
  users
    .command('disable')
    .description('disable a user: sign-in refused and every session ended at once')
    .requiredOption('--email <email>', "the user's e-mail")
    .action(async (opts: { email: string }, cmd: Command) => {
      const { disableConsoleUser } = await import('../../use-cases/console-users.ts');
      const user = await withApp(cmd, async (app) => disableConsoleUser({ users: app.stores.consoleUsers, now: app.now }, opts));
      process.stdout.write(`disabled ${user.email}\n`);
    });
  users
    .command('list')
    .option('--json', 'print JSON lines')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { listConsoleUsers } = await import('../../use-cases/console-users.ts');
      const all = await withApp(cmd, (app) => listConsoleUsers({ users: app.stores.consoleUsers }));
      for (const u of all) {
        if (opts.json === true) printJson(u);
        else process.stdout.write(`${u.id}\t${u.role}\t${u.disabledAt === null ? (u.hasPassword ? 'active' : 'no password yet') : `disabled ${u.disabledAt}`}\t${u.email}\n`);
      }
    });
}
