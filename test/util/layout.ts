/**
 * layout.ts: checks every engine's layout test shares: the describer's groups tile the file
 * with every byte in exactly one span, and damaged bytes give a malformed span, never a throw.
 */
import { expect } from 'vitest';
import { allSpans, firstMalformed, SPAN_KINDS, type Group, type Span } from '../../engines/layout.js';

/** The ways `groups` fail to tile a `size`-byte file (see expectTiled); empty when they tile it. */
export function tilingProblems(groups: readonly Group[], size: number): string[] {
  const problems: string[] = [];
  const tile = (
    parts: readonly { offset: number; length: number }[],
    from: number,
    to: number,
    where: string,
  ): void => {
    let at = from;
    for (const p of parts) {
      if (p.offset !== at)
        problems.push(`${where}: a part starts at ${p.offset}, not where the one before ended (${at})`);
      if (!(p.length >= 0)) problems.push(`${where}: a part of length ${p.length} at ${p.offset}`);
      at = p.offset + p.length;
    }
    if (at !== to) problems.push(`${where}: parts end at ${at}, not ${to}`);
  };
  const check = (g: Group): void => {
    const children = g.children ?? [];
    if (g.spans.length > 0 && children.length > 0) problems.push(`group "${g.label}" has spans and children`);
    if (!g.label) problems.push(`a ${g.unit} group at ${g.offset} has no label`);
    if (children.length) {
      tile(children, g.offset, g.offset + g.length, `group "${g.label}"`);
      children.forEach(check);
    } else tile(g.spans, g.offset, g.offset + g.length, `group "${g.label}"`);
  };
  tile(groups, 0, size, 'the top level');
  groups.forEach(check);
  for (const s of allSpans(groups))
    if (!SPAN_KINDS.includes(s.kind)) problems.push(`span ${s.name} has kind ${s.kind}`);
  return problems;
}

/**
 * Every byte of a `size`-byte file is in exactly one span; groups hold spans or children,
 * never both, and their parts tile them in offset order; top-level groups tile the file.
 */
export function expectTiled(groups: readonly Group[], size: number, file = 'file'): void {
  expect(tilingProblems(groups, size).slice(0, 5), file).toEqual([]);
}

/** The spans of `groups` named `name`. */
export function named(groups: readonly Group[], name: string): Span[] {
  return allSpans(groups).filter((s) => s.name === name);
}

/** Every group of `groups` (depth first) whose unit is `unit`. */
export function units(groups: readonly Group[], unit: string): Group[] {
  const out: Group[] = [];
  const walk = (g: Group): void => {
    if (g.unit === unit) out.push(g);
    for (const c of g.children ?? []) walk(c);
  };
  groups.forEach(walk);
  return out;
}

/** A span's own bytes in the file. */
export function bytesOf(file: Uint8Array, s: Span): Uint8Array {
  return file.subarray(s.offset, s.offset + s.length);
}

/** The bytes of a span's value (keys and values are Uint8Array), failing the test if it is not bytes. */
export function valueBytes(s: Span): Uint8Array {
  expect(s.value, `span ${s.name} at ${s.offset} holds bytes`).toBeInstanceOf(Uint8Array);
  return s.value as Uint8Array;
}

/** A stream of pseudo-random bytes, the same for the same seed. */
export function garbage(n: number, seed = 7): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
}

/**
 * Describes the file cut at many lengths and replaced with garbage: the describer never
 * throws, the groups still tile what is there, and every cut or garbage file holds a malformed
 * span (checked only where `mustFlag` says the damage is detectable from the bytes alone).
 */
export function expectDamageNamed(
  describe: (bytes: Uint8Array) => Group[],
  bytes: Uint8Array,
  file: string,
  mustFlag: (cut: number) => boolean = () => true,
): void {
  const step = Math.max(1, Math.floor(bytes.length / 97));
  for (let cut = 1; cut < bytes.length; cut += step) {
    const part = bytes.subarray(0, cut);
    let groups: Group[] = [];
    try {
      groups = describe(part);
    } catch (e) {
      expect.unreachable(`${file} cut at ${cut}: the describer threw ${String(e)}`);
    }
    const problems = tilingProblems(groups, cut);
    if (problems.length) expect(problems.slice(0, 5), `${file} cut at ${cut}`).toEqual([]);
    if (mustFlag(cut) && !firstMalformed(groups)) expect.unreachable(`${file} cut at ${cut} has no malformed span`);
  }
  const junk = garbage(bytes.length);
  let groups: Group[] = [];
  expect(() => (groups = describe(junk)), `${file} as garbage`).not.toThrow();
  expectTiled(groups, junk.length, `${file} as garbage`);
  expect(firstMalformed(groups), `${file} as garbage has no malformed span`).toBeDefined();
}
