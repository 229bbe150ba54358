  get(key: Uint8Array, level: number): Entry | undefined {
    // START OF THE EXERCISE: every lookup reads a data block, even for a key the table does
    // not hold. Ask this table's bloom filter first (this.mayContain) and stop on a "no".
    this.load();
    const i = this.index!.seek(key);
    if (i >= this.handles.length) return this.falsePositive(key, level);
    this.trace?.({ type: 'lsm.index', file: this.name, level, key: display(key), block: i, blocks: this.handles.length, offset: this.handles[i]!.offset });
    const e = this.block(i, level).find(key);
    return e ?? this.falsePositive(key, level);
  }
