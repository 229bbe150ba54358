/**
 * typecheck.test.ts: `npm run step` and `grade` typecheck a learner's folder first: a fresh
 * scaffold typechecks clean (so its picture() helper gives inspect() a type the contract
 * admits), and an inspect() returning a bare object literal, as the step 1 page once said, is
 * reported with its TS2322.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { YOURS } from '../../track/learners.js';
import { scaffoldSource } from '../../track/template.js';
import { BITCASK } from '../../track/bitcask/index.js';
import { typecheckLearner } from '../../track/typecheck.js';

const name = `.typecheck-${process.pid}`;
const dir = join(YOURS, name);

describe("the step runner's typecheck of a learner's folder", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a fresh scaffold, and names the file, line and TS code of an inspect() that returns a bare literal', () => {
    mkdirSync(dir, { recursive: true });
    const source = scaffoldSource('typecheck-probe', BITCASK);
    writeFileSync(join(dir, 'index.ts'), source);
    expect(typecheckLearner(name)).toEqual([]);
    const literal = source.replace(
      /inspect\(\): EngineSnapshot \{\n\s*throw[^\n]*\n/,
      'inspect(): EngineSnapshot {\n    return { engine: NAME, keys: [] };\n',
    );
    expect(literal).not.toBe(source);
    writeFileSync(join(dir, 'index.ts'), literal);
    const errors = typecheckLearner(name).join('\n');
    expect(errors).toMatch(new RegExp(`yours/${name.replace('.', '\\.')}/index\\.ts\\(\\d+,\\d+\\): error TS2322`));
  }, 120_000);
});
