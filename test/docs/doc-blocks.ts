/**
 * The shell examples of the documentation, as the docs test runs them. The convention for writers:
 *
 * - A ```sh, ```bash or ```shell block is commands: it runs, in document order, and every command
 *   must exit 0 (a `curl` must be answered 2xx). Comments and `# …` after a command are fine.
 * - A ```console block runs its `$ ` lines; the other lines are output and are not checked.
 * - Output, DNS records, configuration and file samples go in ```text, ```json, ```csv, … (not run).
 * - `<!-- not-run: REASON -->` on the line before a block leaves it out, for what cannot run here
 *   (a real SMS gateway, a long-running process); the reason is required.
 * - `<!-- shows-error: REASON -->` before a block runs it, but its `curl` may be answered 4xx/5xx:
 *   the block shows an error on purpose (and checks it, e.g. with `grep`).
 */

export const RUN_LANGUAGES = ['sh', 'bash', 'shell', 'console'] as const;

export interface DocBlock {
  /** The line of the opening fence (1-based). */
  line: number;
  lang: string;
  /** The commands to run (for ```console, its `$ ` lines without the prompt). */
  code: string;
  /** Why the block is left out, when it is marked not-run. */
  notRun: string | null;
  /** Why the block's requests may fail, when it is marked shows-error. */
  showsError: string | null;
}

const MARKER = /^<!--\s*(not-run|shows-error)\s*:?\s*(.*?)\s*-->$/;

/** Every fenced block of a Markdown text that the runnable languages name, with its marker. */
export function shellBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i] ?? '');
    if (open === null) continue;
    const fence = open[2] ?? '```';
    const lang = (open[3] ?? '').toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(fence)) body.push(lines[j++] ?? '');
    const before = previousNonBlank(lines, i);
    const marker = MARKER.exec(before);
    if ((RUN_LANGUAGES as readonly string[]).includes(lang)) {
      blocks.push({
        line: i + 1,
        lang,
        code: lang === 'console' ? consoleCommands(body) : body.join('\n'),
        notRun: marker?.[1] === 'not-run' ? (marker[2] ?? '') : null,
        showsError: marker?.[1] === 'shows-error' ? (marker[2] ?? '') : null,
      });
    }
    i = j;
  }
  return blocks;
}

function previousNonBlank(lines: readonly string[], index: number): string {
  for (let k = index - 1; k >= 0; k--) if ((lines[k] ?? '').trim() !== '') return (lines[k] ?? '').trim();
  return '';
}

/** A console transcript's commands: `$ ` lines, with their `\` continuations. */
function consoleCommands(body: readonly string[]): string {
  const out: string[] = [];
  let continuing = false;
  for (const line of body) {
    if (line.startsWith('$ ')) out.push(line.slice(2));
    else if (continuing) out.push(line);
    else continue;
    continuing = line.trimEnd().endsWith('\\');
  }
  return out.join('\n');
}
