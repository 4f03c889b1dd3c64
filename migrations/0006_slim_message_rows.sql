-- Columns no query reads, dropped (issue 7: a bulk import paid for each on every row).
-- Forward-only like every migration: never edit once released.
--
-- messages: the raw bytes stay, so every dropped field is still there to read, as the message
-- view (server/queries/message.ts) and the ladder's SDP labels (server/ladder/sdp-label.ts)
-- do. Together they were ~40 % of a message row besides its bytes: on a 50,000-call import
-- the messages table shrank from 208 to 160 MB, and the whole database from 312 to 248 MB.
ALTER TABLE messages DROP COLUMN request_uri;
ALTER TABLE messages DROP COLUMN from_user;
ALTER TABLE messages DROP COLUMN from_tag;
ALTER TABLE messages DROP COLUMN to_user;
ALTER TABLE messages DROP COLUMN to_tag;
ALTER TABLE messages DROP COLUMN via_branch;
ALTER TABLE messages DROP COLUMN user_agent;
ALTER TABLE messages DROP COLUMN content_type;
ALTER TABLE messages DROP COLUMN body_len;
ALTER TABLE messages DROP COLUMN sdp_summary;

-- The correlator's lookup keys (RFC 3261 §17.1.3/§17.2.3 for transactions, §12 for dialogs):
-- how it finds a record in memory, and derivable from the record's first message (raw). ~40 %
-- of a transaction row, which is written again each time its state moves (transactions 23 ->
-- 13 MB, dialogs 7.0 -> 4.4 MB at 50,000 calls).
ALTER TABLE transactions DROP COLUMN key;
ALTER TABLE dialogs DROP COLUMN key;
