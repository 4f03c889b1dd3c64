-- messages_sip_call_id (0001) indexed every message by Call-ID, but the only query that reads
-- messages by Call-ID is the pcap export's lookup of messages no call claims
-- (server/exports/pcap/select-messages.ts: `sip_call_id = ? AND call_ref IS NULL`); the
-- dashboard reaches a call's messages by call_ref. Call-IDs are random, so each insert
-- dirtied a random page of a 14 MB index (50,000 calls) and every commit wrote those pages.
-- A partial index over the loose messages answers that query alone (issue 7).
DROP INDEX IF EXISTS messages_sip_call_id;
CREATE INDEX messages_loose_sip_call_id ON messages (sip_call_id, seq) WHERE call_ref IS NULL;
