  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const shown = this.trace ? display(key) : '';
    const answer = (e: Entry | undefined, source: 'memtable' | 'immutable' | 'table' | 'none', file?: string, level?: number): Uint8Array | undefined => {
      const result = !e ? 'absent' : e.kind === KIND_PUT ? 'value' : 'tombstone';
      this.trace?.({ type: 'lsm.get.found', key: shown, source, result, ...(file !== undefined ? { file, level: level! } : {}) });
      return e && e.kind === KIND_PUT ? e.value.slice() : undefined;
    };
    // Memory first: the memtable, then the one being flushed.
    for (const [which, m] of [['memtable', this.mem], ['immutable', this.imm]] as const) {
      if (!m) continue;
      const e = m.get(key);
      this.trace?.({ type: 'lsm.get.memtable', which, key: shown, found: !e ? 'no' : e.kind === KIND_PUT ? 'value' : 'tombstone' });
      if (e) return answer(e, which);
    }
    // Level 0, newest table first: their ranges overlap, so each may hold the key.
    // START OF THE EXERCISE: this walks level 0 oldest table first. Which table holds the
    // newest entry for a key that was written, flushed, and written again?
    const l0 = this.tree.levels[0]!;
    for (let i = 0; i < l0.length; i++) {
      const e = this.getFromTable(l0[i]!, 0, key, shown);
      if (e) return answer(e, 'table', tableName(l0[i]!.number), 0);
    }
    // Deeper levels: the one table whose range may hold the key.
    for (let level = 1; level < LEVELS; level++) {
      const files = this.tree.levels[level]!;
      if (files.length === 0) continue;
      const i = Math.min(firstWithLargestAtLeast(files, key), files.length - 1);
      const e = this.getFromTable(files[i]!, level, key, shown);
      if (e) return answer(e, 'table', tableName(files[i]!.number), level);
    }
    return answer(undefined, 'none');
  }