/**
 * The exercise runner (exercises/runner.ts): every exercise's check passes on the engine as
 * it is (the engine is the reference solution) and fails once the exercise's starting point
 * is spliced in, which proves each check can fail. Plus the splicing itself.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXERCISES, ROOT, listExercises, loadExercise, runScratch } from '../../exercises/runner.js';
import { findFunction, spliceFunction } from '../../exercises/splice.js';

const exercises = listExercises();

describe('splicing a starting point into an engine file', () => {
  const src = [
    'export function a(x: number): { y: number } {',
    "  const s = `}${'{'}`; // }",
    '  return { y: x };',
    '}',
    'class C {',
    '  /** doc */',
    '  private m(z: string): void {',
    '    a(1);',
    '    if (z) { /* } */ }',
    '  }',
    '  n(): void {',
    '    this.m("}");',
    '  }',
    '}',
    '',
  ].join('\n');

  it('finds a function with a braced return type and tricky strings, and a method (not its calls)', () => {
    const f = findFunction(src, 'a');
    expect(src.slice(f.start, f.end).endsWith('return { y: x };\n}')).toBe(true);
    const m = findFunction(src, 'm');
    expect(src.slice(m.start, m.end)).toBe(src.split('\n').slice(6, 10).join('\n'));
  });

  it('replaces only that declaration, keeping its doc comment and the rest of the file', () => {
    const out = spliceFunction(src, 'm', '  private m(z: string): void {\n    void z;\n  }\n');
    expect(out).toContain('  /** doc */\n  private m(z: string): void {\n    void z;\n  }\n  n(): void {');
    expect(out).toContain('export function a(');
  });

  it('refuses a name that is missing', () => {
    expect(() => findFunction(src, 'nothere')).toThrow(/found 0/);
  });

  it('names an unknown exercise clearly', () => {
    expect(() => loadExercise('no-such-exercise')).toThrow(/no exercise named/);
  });
});

describe('the exercises', () => {
  it('has two or three for each engine lesson, each naming a function its engine file declares', () => {
    for (const lesson of ['snapshot', 'bitcask', 'btree', 'lsm']) {
      const n = exercises.filter((e) => e.lesson === lesson).length;
      expect(n, lesson).toBeGreaterThanOrEqual(2);
      expect(n, lesson).toBeLessThanOrEqual(3);
    }
    for (const e of exercises) {
      for (const edit of e.edits) {
        const source = readFileSync(join(ROOT, edit.file), 'utf8');
        expect(() => findFunction(source, edit.function), `${e.name}: ${edit.function} in ${edit.file}`).not.toThrow();
        expect(readFileSync(join(EXERCISES, e.name, edit.start), 'utf8')).toContain('START OF THE EXERCISE');
      }
    }
  });

  // Each check runs in its own vitest process on a scratch copy of engines/ (about 2 s each).
  it.concurrent.each(exercises.map((e) => e.name))('%s: the check passes on the engine itself', async (name) => {
    const r = await runScratch(loadExercise(name), false);
    expect(r.ok, r.output.slice(-3000)).toBe(true);
  });

  it.concurrent.each(exercises.map((e) => e.name))('%s: the check fails on the staged starting point', async (name) => {
    const r = await runScratch(loadExercise(name), true);
    expect(r.ok, r.output.slice(-3000)).toBe(false);
    // It failed in its assertions, not because the staging broke the build.
    expect(r.output).toMatch(/Tests\s+.*\d+ failed/);
  });
});
