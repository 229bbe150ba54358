export function decodeSnapshot(bytes: Uint8Array, file: string): [Uint8Array, Uint8Array][] {
  if (bytes.length < HEADER + TRAILER) throw corrupt(file, 0, `the file is ${bytes.length} bytes, shorter than a header and trailer (${HEADER + TRAILER})`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw corrupt(file, i, `the magic number is not "${MAGIC}"; this is not a snapshot file`);
  }
  const version = dv.getUint16(8, true);
  if (version !== VERSION) throw corrupt(file, 8, `format version ${version} is not ${VERSION}`);
  const count = dv.getUint32(12, true);
  const body = dv.getUint32(16, true) + dv.getUint32(20, true) * 0x1_0000_0000;
  if (HEADER + body + TRAILER !== bytes.length) {
    throw corrupt(file, 16, `the header says the body is ${body} bytes, but the file holds ${bytes.length - HEADER - TRAILER}`);
  }
  const end = HEADER + body;
  // START OF THE EXERCISE: the trailer at `end` holds a CRC-32C of every byte before it,
  // and nothing here looks at it. Compare it with crc32c(bytes, 0, end); on a mismatch throw
  // corrupt(file, end, ...). Until then, a flipped bit is a silently wrong value.
  const pairs: [Uint8Array, Uint8Array][] = [];
  let o = HEADER;
  for (let i = 0; i < count; i++) {
    const kl = decodeVarint(bytes, o, end);
    if (!kl) throw corrupt(file, o, `record ${i}: bad key length`);
    const vl = decodeVarint(bytes, kl.next, end);
    if (!vl) throw corrupt(file, kl.next, `record ${i}: bad value length`);
    const ks = vl.next;
    if (ks + kl.value + vl.value > end) throw corrupt(file, o, `record ${i} runs past the end of the body`);
    const key = bytes.subarray(ks, ks + kl.value);
    const value = bytes.subarray(ks + kl.value, ks + kl.value + vl.value);
    if (pairs.length > 0 && compareBytes(pairs[pairs.length - 1]![0], key) >= 0) {
      throw corrupt(file, ks, `record ${i}: keys are not in increasing order`);
    }
    pairs.push([key, value]);
    o = ks + kl.value + vl.value;
  }
  if (o !== end) throw corrupt(file, o, `${end - o} bytes after the last of ${count} records`);
  return pairs;
}
