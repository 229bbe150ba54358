function finishOutput(s: BitcaskState, out: Output): void {
  out.handle.sync();
  s.trace?.({ type: 'bitcask.merge.output', file: dataName(out.id), records: out.hints.length, bytes: out.size });
  // START OF THE EXERCISE: out.hints lists every record this output holds (seq, key,
  // value length, record offset). Write them as the output's hint file, durably, so the next
  // open can load the keydir without reading the data file: see encodeHint in format.ts.
}
