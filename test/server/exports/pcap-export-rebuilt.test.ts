/**
 * Exported pcaps of rebuilt frames, read back with tshark: a capture moved away, link types
 * mixed, SIP over WebSocket — the same SIP messages (count and Call-IDs) as the captures
 * imported, with IPv4/UDP/TCP checksums tshark verifies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, fixturePath, importCopies, openReadOnly } from '../reports/helpers/report-db.js';
import { expectedCallIds, exportTo } from './export-helpers.js';
import { HAS_TSHARK, readWithTshark } from './tshark.js';

const skip = HAS_TSHARK ? false : 'tshark is not installed';

test('a capture file moved away: messages rebuilt as Ethernet/IPv4/TCP', { skip }, async () => {
  const { dir, dbPath, copies } = await importCopies([corpusPath('pcap/heplify/sip_ipv4_tcp_fragmented.pcap')]);
  const moved = join(dir, 'moved.pcap');
  renameSync(copies[0] ?? '', moved);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'rebuilt.pcap', { filter: {} });
    assert.deepEqual([result.original_frames, result.rebuilt_messages, result.link_type], [0, result.messages, 1]);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.count]), [['export.capture_missing', result.messages]]);
    const read = readWithTshark(file);
    assert.deepEqual(read.callIds, expectedCallIds(db, [moved]));
    assert.equal(read.badChecksums, 0);
  } finally {
    db.close();
  }
});

test('mixed link types (Linux cooked IPv6 and Ethernet IPv4) are all rebuilt as Ethernet', { skip }, async () => {
  const { dir, dbPath, copies } = await importCopies([corpusPath('pcap/sngrep/ipv6frag.pcap'), fixturePath('busy-486.pcap')]);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'mixed.pcap', { filter: {} });
    assert.equal(result.link_type, 1);
    assert.equal(result.rebuilt_messages, result.messages);
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['export.link_types_mixed']);
    const read = readWithTshark(file);
    assert.deepEqual(read.callIds, expectedCallIds(db, copies));
    assert.equal(read.badChecksums, 0);
  } finally {
    db.close();
  }
});

test('SIP over WebSocket is rebuilt behind an opening handshake and still decodes', { skip }, async () => {
  const { dir, dbPath, copies } = await importCopies([corpusPath('pcap/heplify/sip_tcp_websocket.pcap')]);
  const db = openReadOnly(dbPath);
  try {
    const { file, result } = await exportTo(db, dir, 'ws.pcap', { filter: {} });
    const ws = (db.prepare("SELECT count(*) AS n FROM messages WHERE transport = 'ws' AND call_ref IS NOT NULL").get() as { n: number }).n;
    assert.ok(ws > 0);
    assert.equal(result.rebuilt_messages, ws);
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.count]), [['export.transport_rebuilt', ws]]);
    // The SIP over UDP frames are original, with the blank checksums of the capturing host: not verified here.
    assert.deepEqual(readWithTshark(file, false).callIds, expectedCallIds(db, copies));
  } finally {
    db.close();
  }
});
