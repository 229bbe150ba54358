#!/usr/bin/env python3
"""kvstore.py: a tiny log-structured key-value engine in Python (standard library only) that
speaks the JSON-lines protocol of ../PROTOCOL.md, as a reference for engines in other languages.

    python3 kvstore.py <dir>

One append-only file, log.data, of records; an in-memory dict from key to where its value is.
A record (little-endian):

    crc32 (4) | flags (1) | key length (2) | value length (4) | key | value

crc32 is zlib.crc32 of everything after it. Flag 1: tombstone. Flag 2: batch continues (a batch
is one append; recovery applies it only when it reads the record without flag 2). A record that
runs past the end of the file, or whose CRC fails with nothing after it, is a torn tail: open
cuts it off. A bad record with records after it is corruption (KV_CORRUPT).
"""
import json
import os
import struct
import sys
import zlib

HEADER = struct.Struct("<IBHI")  # crc, flags, key length, value length: 11 bytes
TOMBSTONE = 1
CONTINUES = 2


class KVError(Exception):
    """An error with a code of engines/errors.ts."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def encode(flags, key, value):
    """One record's bytes."""
    body = struct.pack("<BHI", flags, len(key), len(value)) + key + value
    return struct.pack("<I", zlib.crc32(body)) + body


class Store:
    """The log and its index."""

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, "log.data")
        new = not os.path.exists(self.path)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        if new:
            self.sync_dir()
        self.index = {}  # key bytes -> (offset of the value, value length)
        self.recover()

    def sync_dir(self):
        """Makes the directory's entries durable."""
        d = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(d)
        finally:
            os.close(d)

    def recover(self):
        """Rebuilds the index by reading every record; cuts off a torn tail."""
        size = os.fstat(self.fd).st_size
        data = os.pread(self.fd, size, 0)
        pos = good = 0
        pending = []
        while pos + HEADER.size <= len(data):
            crc, flags, klen, vlen = HEADER.unpack_from(data, pos)
            end = pos + HEADER.size + klen + vlen
            if end > len(data):
                break  # torn: the record runs past the end
            if zlib.crc32(data[pos + 4 : end]) != crc:
                if end == len(data):
                    break  # torn: the last record, half landed
                raise KVError("KV_CORRUPT", f"{self.path}: bad checksum in the record at offset {pos}")
            key = data[pos + HEADER.size : pos + HEADER.size + klen]
            pending.append((flags, key, pos + HEADER.size + klen, vlen))
            pos = end
            if not flags & CONTINUES:
                for f, k, off, n in pending:
                    if f & TOMBSTONE:
                        self.index.pop(k, None)
                    else:
                        self.index[k] = (off, n)
                pending = []
                good = pos
        if good < len(data):
            os.ftruncate(self.fd, good)
            os.fsync(self.fd)
        self.size = good

    def append(self, records):
        """Appends encoded records in one write, and points the index at their values."""
        blob = b"".join(encode(f, k, v) for f, k, v in records)
        os.write(self.fd, blob)
        pos = self.size
        for f, k, v in records:
            if f & TOMBSTONE:
                self.index.pop(k, None)
            else:
                self.index[k] = (pos + HEADER.size + len(k), len(v))
            pos += HEADER.size + len(k) + len(v)
        self.size = pos

    def get(self, key):
        """The value of key, or None."""
        where = self.index.get(key)
        return None if where is None else os.pread(self.fd, where[1], where[0])

    def batch(self, ops):
        """Puts and deletes as one append: all or nothing."""
        records = [(0 if v is not None else TOMBSTONE, k, v or b"") for k, v in ops]
        records = [(f | (CONTINUES if i < len(records) - 1 else 0), k, v) for i, (f, k, v) in enumerate(records)]
        if records:
            self.append(records)

    def scan(self, gt=None, gte=None, lt=None, lte=None, reverse=False, limit=None):
        """Pairs in bytewise key order within the bounds."""
        keys = sorted(k for k in self.index if (gt is None or k > gt) and (gte is None or k >= gte) and (lt is None or k < lt) and (lte is None or k <= lte))
        if reverse:
            keys.reverse()
        if limit is not None and limit >= 0:
            keys = keys[:limit]
        return [(k, self.get(k)) for k in keys]

    def sync(self):
        os.fsync(self.fd)

    def compact(self):
        """Rewrites the live pairs into a new log: write, fsync, rename over, fsync the directory."""
        tmp = self.path + ".tmp"
        with open(tmp, "wb") as out:
            out.write(b"".join(encode(0, k, self.get(k)) for k in sorted(self.index)))
            out.flush()
            os.fsync(out.fileno())
        os.rename(tmp, self.path)
        self.sync_dir()
        os.close(self.fd)
        self.fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        self.index = {}
        self.recover()

    def close(self):
        os.fsync(self.fd)
        os.close(self.fd)


def unhex(s):
    return None if s is None else bytes.fromhex(s)


def handle(store, req):
    """One request to its reply."""
    op = req.get("op")
    if op == "put":
        store.batch([(unhex(req["key"]), unhex(req["value"]))])
    elif op == "delete":
        store.batch([(unhex(req["key"]), None)])
    elif op == "batch":
        store.batch([(unhex(o["key"]), unhex(o["value"]) if o["type"] == "put" else None) for o in req["ops"]])
    elif op == "get":
        v = store.get(unhex(req["key"]))
        return {"value": None if v is None else v.hex()}
    elif op == "scan":
        pairs = store.scan(*(unhex(req.get(b)) for b in ("gt", "gte", "lt", "lte")), req.get("reverse", False), req.get("limit"))
        return {"pairs": [[k.hex(), v.hex()] for k, v in pairs]}
    elif op == "sync":
        store.sync()
    elif op == "compact":
        store.compact()
    elif op == "close":
        store.close()
    else:
        raise KVError("KV_BAD_OPTION", f"unknown op {op!r}")
    return {}


def main():
    store = Store(sys.argv[1])
    out = sys.stdout
    out.write(json.dumps({"ready": True, "engine": "python-kvstore"}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            reply = {"id": req["id"], "ok": True, **handle(store, req)}
        except KVError as e:
            reply = {"id": req["id"], "ok": False, "code": e.code, "message": str(e)}
        except OSError as e:
            reply = {"id": req["id"], "ok": False, "code": "KV_IO", "message": str(e)}
        out.write(json.dumps(reply) + "\n")
        out.flush()
        if req.get("op") == "close":
            return


if __name__ == "__main__":
    try:
        main()
    except KVError as e:
        sys.stderr.write(f"{e.code}: {e}\n")
        sys.exit(1)
