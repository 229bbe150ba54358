export function chooseCut(p: TreePage, append = false, minRight = 0): number {
  // START OF THE EXERCISE: the middle entry, whatever the sizes of the entries. Weigh them
  // instead (entrySize(p, i); a branch's right half loses the key of entry m), and bias the
  // cut to the right when `append` is set.
  void append;
  void minRight;
  void entrySize;
  return Math.max(1, Math.floor(p.keys.length / 2));
}
