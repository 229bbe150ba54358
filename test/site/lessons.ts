/**
 * lessons.ts: the workbench widgets the lessons place, read from the MDX files, so tests can
 * replay exactly what a reader of each page can run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One <Workbench> on a lesson page. */
export interface LessonWidget {
  page: string;
  engine: string;
  options: Record<string, number | boolean | string>;
  /** Console lines the widget runs at load. */
  commands: string[];
  /** The scenario it runs at load, if any. */
  scenario: string | undefined;
  /** The scenario buttons it offers (undefined: all of the engine's). */
  scenarios: string[] | undefined;
}

const LESSONS = join(import.meta.dirname, '..', '..', 'lessons');

/** The value of a JSX attribute: a string, or a JS literal in braces. */
function attribute(tag: string, name: string): unknown {
  const str = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  if (str) return str[1];
  const at = tag.search(new RegExp(`\\b${name}=\\{`));
  if (at < 0) return undefined;
  // The expression runs to the brace that closes the one after `name=`.
  let depth = 0;
  let i = tag.indexOf('{', at);
  const start = i + 1;
  for (; i < tag.length; i++) {
    if (tag[i] === '{') depth++;
    else if (tag[i] === '}' && --depth === 0) break;
  }
  // The lessons use plain literals (arrays, objects, strings, numbers) here.
  return new Function(`return (${tag.slice(start, i)});`)() as unknown;
}

/** Every <Workbench> of every lesson, in page order. */
export function lessonWidgets(): LessonWidget[] {
  const out: LessonWidget[] = [];
  for (const file of readdirSync(LESSONS)
    .filter((f) => f.endsWith('.mdx'))
    .sort()) {
    const text = readFileSync(join(LESSONS, file), 'utf8');
    for (const m of text.matchAll(/<Workbench\b[\s\S]*?\/>/g)) {
      const tag = m[0];
      out.push({
        page: file,
        engine: String(attribute(tag, 'engine')),
        options: (attribute(tag, 'options') as LessonWidget['options']) ?? {},
        commands: (attribute(tag, 'commands') as string[]) ?? [],
        scenario: attribute(tag, 'scenario') as string | undefined,
        scenarios: attribute(tag, 'scenarios') as string[] | undefined,
      });
    }
  }
  return out;
}
