function cut(s: BitcaskState, f: DataFile, at: number, records: number, reason: string): void {
  // START OF THE EXERCISE: the records before `at` are whole; from `at` on is what the power
  // cut tore. Nothing is removed yet, so the next append lands after the garbage. Truncate
  // the file at `at`, sync the cut, set f.size, and trace bitcask.recover.truncate.
  void reason;
  s.trace?.({ type: 'bitcask.recover.scan', file: f.name, records, bytes: f.size });
}
