-- sipscope schema, version 1.
--
-- This file is the contract between the collector (which writes) and the server (which reads).
-- Migrations are forward-only: never edit this file once released; add 0002_….sql instead
-- (migrate.ts refuses a database whose recorded checksum differs from the file).
-- The runner wraps each file in one transaction: no BEGIN/COMMIT here.
--
-- Conventions
--   *_ts        INTEGER microseconds since the Unix epoch.
--   *_ms        REAL milliseconds (derived from microsecond times, so fractions are kept).
--   is_*, has_* INTEGER 0/1.
--   sip_call_id the SIP Call-ID header string; *_ref the integer id of a row in another table
--               (call_ref → calls.id), so the two are never confused.
--   JSON        TEXT holding JSON written by the collector (diagnostics, SDP summary, lists).
--
-- Foreign keys are declared for readers and tools but not enforced by the writer: correlation
-- emits snapshots of its records, and a message may reach the database in the same batch as,
-- or just before, the record it references. A batch of captured traffic is never rejected for it.
--
-- Tables are STRICT so a value of the wrong type is an error, not a silent conversion.

-- One imported capture file, live capture session or HEP listener session.
CREATE TABLE capture_files (
  id          INTEGER PRIMARY KEY,
  path        TEXT    NOT NULL,        -- file path, interface name or listen address
  format      TEXT    NOT NULL,        -- pcap | pcapng | live | hep …
  kind        TEXT    NOT NULL CHECK (kind IN ('file', 'live', 'hep')),
  bytes       INTEGER,                 -- file size; NULL for live sources
  imported_at INTEGER NOT NULL,        -- when reading began, µs
  frames      INTEGER,                 -- set when reading finishes
  first_ts    INTEGER,
  last_ts     INTEGER
) STRICT;

-- One SIP message, stored raw (exact bytes) with the fields the call list, ladder and search use.
CREATE TABLE messages (
  id                INTEGER PRIMARY KEY,
  seq               INTEGER NOT NULL UNIQUE,  -- capture order; strictly increasing even when ts ties
  ts                INTEGER NOT NULL,
  capture_file_id   INTEGER NOT NULL REFERENCES capture_files (id),
  frame_no          INTEGER NOT NULL,         -- frame holding the message's last byte
  capture_agent_id  INTEGER,                  -- HEP capture agent; NULL for files and live capture
  src_ip            TEXT    NOT NULL,
  src_port          INTEGER NOT NULL,
  dst_ip            TEXT    NOT NULL,
  dst_port          INTEGER NOT NULL,
  transport         TEXT    NOT NULL,         -- udp | tcp | sctp | ws | tls
  parse_ok          INTEGER NOT NULL CHECK (parse_ok IN (0, 1)),
  is_request        INTEGER CHECK (is_request IN (0, 1)),  -- NULL when the start line was not recognised
  method            TEXT,                     -- requests: method as written (case-sensitive, RFC 3261 §7.1)
  request_uri       TEXT,                     -- requests
  status            INTEGER,                  -- responses
  reason            TEXT,                     -- responses
  cseq_num          INTEGER,
  cseq_method       TEXT,
  sip_call_id       TEXT,
  from_user         TEXT,
  from_tag          TEXT,
  to_user           TEXT,
  to_tag            TEXT,
  via_branch        TEXT,                     -- top Via's branch parameter
  user_agent        TEXT,                     -- User-Agent, or Server for a response without one
  content_type      TEXT,
  body_len          INTEGER,
  sdp_summary       TEXT,                     -- JSON SdpSummary or NULL
  has_error         INTEGER NOT NULL CHECK (has_error IN (0, 1)),  -- an error-severity diagnostic is attached
  diagnostics       TEXT,                     -- JSON [{code, severity, detail?}] or NULL
  transaction_ref   INTEGER REFERENCES transactions (id),
  dialog_ref        INTEGER REFERENCES dialogs (id),
  call_ref          INTEGER REFERENCES calls (id),
  registration_ref  INTEGER REFERENCES registrations (id),
  is_retransmission INTEGER NOT NULL CHECK (is_retransmission IN (0, 1)),
  is_duplicate      INTEGER NOT NULL CHECK (is_duplicate IN (0, 1)),
  -- Last on purpose: a large value spills onto overflow pages, and SQLite reads every column
  -- before it without following that chain (list and stats queries never touch the bytes).
  raw               BLOB    NOT NULL
) STRICT;

-- Captured data that never became a SIP message: broken frames, undecodable IP/transport headers,
-- or bytes that looked like SIP but could not be cut out of the stream.
CREATE TABLE malformed_packets (
  id              INTEGER PRIMARY KEY,
  capture_file_id INTEGER NOT NULL REFERENCES capture_files (id),
  frame_no        INTEGER NOT NULL,
  ts              INTEGER NOT NULL,
  diagnostics     TEXT    NOT NULL,           -- JSON [{code, severity, detail?}]
  bytes           BLOB    NOT NULL
) STRICT;

-- Observer view of a SIP transaction (RFC 3261 §17); mirrors TransactionRecord.
CREATE TABLE transactions (
  id                      INTEGER PRIMARY KEY,
  key                     TEXT    NOT NULL,   -- §17.1.3 branch key or §17.2.3 RFC 2543 fallback key
  kind                    TEXT    NOT NULL,   -- invite-client | non-invite | ack-2xx | cancel
  method                  TEXT    NOT NULL,
  sip_call_id             TEXT    NOT NULL,
  cseq                    INTEGER NOT NULL,
  state                   TEXT    NOT NULL,
  cancels_transaction_ref INTEGER REFERENCES transactions (id),
  dialog_ref              INTEGER REFERENCES dialogs (id),
  call_ref                INTEGER REFERENCES calls (id),
  registration_ref        INTEGER REFERENCES registrations (id),
  first_ts                INTEGER NOT NULL,
  last_ts                 INTEGER NOT NULL,
  final_status            INTEGER,
  request_count           INTEGER NOT NULL,
  response_count          INTEGER NOT NULL,
  retransmissions         INTEGER NOT NULL
) STRICT;

-- A dialog (RFC 3261 §12) keyed by Call-ID and the unordered pair of tags; mirrors DialogRecord.
CREATE TABLE dialogs (
  id          INTEGER PRIMARY KEY,
  key         TEXT    NOT NULL,
  sip_call_id TEXT    NOT NULL,
  from_tag    TEXT,
  to_tag      TEXT,
  state       TEXT    NOT NULL,               -- early | confirmed | terminated
  method      TEXT    NOT NULL,               -- the dialog-creating method
  call_ref    INTEGER REFERENCES calls (id),
  first_ts    INTEGER NOT NULL,
  last_ts     INTEGER NOT NULL
) STRICT;

-- One call (an INVITE dialog set); mirrors CallRecord with PartySummary flattened.
CREATE TABLE calls (
  id                   INTEGER PRIMARY KEY,
  sip_call_id          TEXT    NOT NULL,
  status               TEXT    NOT NULL,      -- answered | failed | cancelled | in_progress
  caller_display       TEXT,
  caller_user          TEXT,
  caller_uri           TEXT    NOT NULL,
  callee_display       TEXT,
  callee_user          TEXT,
  callee_uri           TEXT    NOT NULL,
  request_uri          TEXT    NOT NULL,
  src_ip               TEXT    NOT NULL,
  src_port             INTEGER NOT NULL,
  dst_ip               TEXT    NOT NULL,
  dst_port             INTEGER NOT NULL,
  transport            TEXT    NOT NULL,
  caller_user_agent    TEXT,
  callee_user_agent    TEXT,
  start_ts             INTEGER NOT NULL,      -- first INVITE
  first_provisional_ts INTEGER,
  ringing_ts           INTEGER,               -- first 180/183
  answer_ts            INTEGER,               -- first 2xx to the initial INVITE
  end_ts               INTEGER,               -- BYE or final failure response
  pdd_ms               REAL,                  -- INVITE → first 180/183
  setup_ms             REAL,                  -- INVITE → 2xx
  duration_ms          REAL,                  -- answer → end
  final_status         INTEGER,
  final_reason         TEXT,
  failure_code         TEXT,                  -- 'no_response' when Timer B expired (RFC 3261 §17.1.1.2)
  reason_header        TEXT,                  -- Reason header (RFC 3326) as written
  ended_by             TEXT,                  -- caller | callee
  message_count        INTEGER NOT NULL,
  retransmission_count INTEGER NOT NULL,
  auth_challenged      INTEGER NOT NULL CHECK (auth_challenged IN (0, 1)),
  attempts             INTEGER NOT NULL,
  re_invites           INTEGER NOT NULL,
  sdp_offer            TEXT,
  sdp_answer           TEXT,
  linked_sip_call_ids  TEXT    NOT NULL,      -- JSON array of Call-ID strings (B2BUA legs)
  last_ts              INTEGER NOT NULL
) STRICT;

-- A registration (RFC 3261 §10) followed across its challenge and refreshes; mirrors RegistrationRecord.
CREATE TABLE registrations (
  id            INTEGER PRIMARY KEY,
  sip_call_id   TEXT    NOT NULL,
  aor           TEXT    NOT NULL,
  contact       TEXT,
  expires       INTEGER,
  user_agent    TEXT,
  status        TEXT    NOT NULL,             -- succeeded | failed | challenged | in_progress
  challenged    INTEGER NOT NULL CHECK (challenged IN (0, 1)),
  final_status  INTEGER,
  src_ip        TEXT    NOT NULL,
  src_port      INTEGER NOT NULL,
  dst_ip        TEXT    NOT NULL,
  dst_port      INTEGER NOT NULL,
  start_ts      INTEGER NOT NULL,
  end_ts        INTEGER,
  request_count INTEGER NOT NULL,
  last_ts       INTEGER NOT NULL
) STRICT;

-- Call list: newest first, by time range.
CREATE INDEX calls_start_ts ON calls (start_ts);
-- Call list filtered by status (failed-calls report) within a time range.
CREATE INDEX calls_status_start_ts ON calls (status, start_ts);
-- Search by Call-ID.
CREATE INDEX calls_sip_call_id ON calls (sip_call_id);
-- Ladder of one call, in capture order.
CREATE INDEX messages_call_ref_seq ON messages (call_ref, seq);
-- Search messages by Call-ID (also finds messages correlation could not attach to a call).
CREATE INDEX messages_sip_call_id ON messages (sip_call_id);
-- Messages by time range.
CREATE INDEX messages_ts ON messages (ts);
-- Registration list by time range.
CREATE INDEX registrations_start_ts ON registrations (start_ts);
