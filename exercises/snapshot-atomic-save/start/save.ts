  private save(reason: SaveReason): void {
    // START OF THE EXERCISE: this overwrites the live file in place. A crash between the
    // truncate and the end of the write leaves a file that is neither snapshot. Make it
    // atomic (temp file, fsync, rename, directory fsync), keeping the trace events.
    const pairs = this.sortedKeys().map((k) => this.dict.get(mapKey(k))!);
    const bytes = encodeSnapshot(pairs);
    const live = join(this.dir, LIVE_FILE);
    const keys = pairs.length;
    const f = this.fs.open(live, { create: true, truncate: true });
    try {
      f.write(0, bytes);
      this.trace?.({ type: 'snapshot.save', step: 'write', reason, file: LIVE_FILE, keys, bytes: bytes.length });
      f.sync();
      this.trace?.({ type: 'snapshot.save', step: 'sync', reason, file: LIVE_FILE, keys, bytes: bytes.length });
    } finally {
      f.close();
    }
    this.fs.syncDir(this.dir);
    this.unsaved = 0;
    this.saves++;
    this.trace?.({ type: 'snapshot.save', step: 'done', reason, file: LIVE_FILE, keys, bytes: bytes.length });
  }
