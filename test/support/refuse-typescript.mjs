// Module hooks for `node --import`: loading tsx or any .ts module fails, so a process started with
// them shows that it runs built JavaScript only.
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) throw new Error('refused: the TypeScript loader ' + specifier);
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (/\\.[cm]?ts$/.test(new URL(url).pathname)) throw new Error('refused: TypeScript source ' + url);
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
