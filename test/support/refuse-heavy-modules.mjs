// Module hooks for `node --import`: loading one of the heavy libraries that only some commands
// need (mail parsing and sending, templates, the HTTP server) fails, so a process started with them
// shows that it got by without (e.g. `lupa --help` must start at once).
import { register } from 'node:module';

const hooks = `
const HEAVY = ['mjml', 'mailparser', 'nodemailer', 'smtp-server', 'fastify', 'liquidjs', 'pg'];
export async function resolve(specifier, context, next) {
  if (HEAVY.some((h) => specifier === h || specifier.startsWith(h + '/'))) throw new Error('refused: the heavy module ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
