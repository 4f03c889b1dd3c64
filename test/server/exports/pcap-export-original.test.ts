/**
 * Exported pcaps of original frames, read back with tshark: the same SIP messages (count and
 * Call-IDs) as the captures imported — IP fragments, SIP over TCP spanning segments, a Linux
 * cooked capture — and the very same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { corpusPath, fixturePath, importCopies, openReadOnly } from '../reports/helpers/report-db.js';
import { expectedCallIds, exportTo, readFrames } from './export-helpers.js';
import { HAS_TSHARK, readWithTshark } from './tshark.js';

const skip = HAS_TSHARK ? false : 'tshark is not installed';

test('IP fragments and SIP over TCP spanning segments: every message, as captured', { skip }, async () => {
  const { dir, dbPath, copies } = await importCopies([corpusPath('pcap/heplify/sip_ipv4_tcp_fragmented.pcap'), fixturePath('fragmented-udp-ipv4.pcap')]);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'all.pcap', { filter: {} });
    assert.equal(result.link_type, 1);
    assert.equal(result.rebuilt_messages, 0);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.original_frames, result.frames);
    assert.ok(result.frames > result.messages, 'messages spanning several frames brought their earlier frames');
    const expected = expectedCallIds(db, copies);
    assert.equal(expected.length, result.messages, 'tshark finds as many messages as were selected');
    assert.deepEqual(readWithTshark(file, false).callIds, expected);

    // Three calls over TCP (a 487, a 403 and a Timer B timeout) taken out of their connections.
    const picked = ['802220406592e81b8b15b37b77600', '80f232536592e8138b25b37b77600', '85b939c9-8f01-4f54-8042-a2338185f4cb'];
    const some = await exportTo(db, dir, 'some.pcap', { sipCallIds: picked });
    assert.equal(some.result.calls, 3);
    const got = readWithTshark(some.file, false).callIds.filter((id) => picked.includes(id));
    assert.deepEqual(got, expectedCallIds(db, copies, new Set(picked)));
  } finally {
    db.close();
  }
});

test('a Linux cooked capture keeps its link type and its frames byte for byte', { skip }, async () => {
  const { dir, dbPath, copies } = await importCopies([corpusPath('pcap/sngrep/ipv6frag.pcap')]);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'sll.pcap', { filter: {} });
    assert.equal(result.link_type, 113, 'LINKTYPE_LINUX_SLL kept');
    const source = new Map((await readFrames(copies[0] ?? '')).map((frame) => [frame.ts, frame]));
    const exported = await readFrames(file);
    assert.equal(exported.length, result.frames);
    for (const frame of exported) {
      const original = source.get(frame.ts);
      assert.ok(original, `frame at ${frame.ts} comes from the capture`);
      assert.deepEqual(frame.bytes, original.bytes);
      assert.deepEqual([frame.linkType, frame.origLen], [113, original.origLen]);
    }
    assert.deepEqual(readWithTshark(file, false).callIds, expectedCallIds(db, copies));
  } finally {
    db.close();
  }
});

test('a capture rewritten since the import is noticed: the frame whose time changed is rebuilt', async () => {
  const { dir, dbPath, copies } = await importCopies([fixturePath('busy-486.pcap')]);
  // Shift the first record's timestamp (the seconds field right after the 24-byte file header): same size, other content.
  const fd = openSync(copies[0] ?? '', 'r+');
  const seconds = Buffer.alloc(4);
  readSync(fd, seconds, 0, 4, 24);
  seconds.writeUInt32LE(seconds.readUInt32LE(0) + 1);
  writeSync(fd, seconds, 0, 4, 24);
  closeSync(fd);
  const db = openReadOnly(dbPath);
  try {
    const { result } = await exportTo(db, dir, 'changed.pcap', { filter: {} });
    assert.equal(result.messages, 4);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.count]), [['export.capture_changed', 1]]);
    assert.deepEqual([result.rebuilt_messages, result.original_frames], [1, 3]);
  } finally {
    db.close();
  }
});

test('unknown calls export an empty capture', async () => {
  const { dir, dbPath } = await importCopies([fixturePath('busy-486.pcap')]);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'none.pcap', { sipCallIds: ['no-such-call'] });
    assert.deepEqual([result.calls, result.messages, result.frames], [0, 0, 0]);
    assert.deepEqual(await readFrames(file), []);
  } finally {
    db.close();
  }
});
