-- messages_ts (0001) serves no query: the dashboard reaches messages by call (messages_call_ref_seq),
-- by Call-ID (messages_sip_call_id) or by id, never by time range. Every message paid for it
-- at insert and ~20 bytes on disk (issue 7: indexes that serve the dashboard's queries and no more).
-- Forward-only like every migration: never edit once released.
DROP INDEX IF EXISTS messages_ts;
