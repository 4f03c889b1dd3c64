-- Indexes the dashboard's queries need beyond 0001 (server/queries/*).
-- Forward-only like every migration: never edit once released.

-- Call detail: the transactions and dialogs of one call (GET /api/calls/:id).
CREATE INDEX transactions_call_ref ON transactions (call_ref);
CREATE INDEX dialogs_call_ref ON dialogs (call_ref);
-- Call list filtered by final code (code=486) within a time range.
CREATE INDEX calls_final_status_start_ts ON calls (final_status, start_ts);
-- Call list filtered by IP (either side) and the per-trunk view.
CREATE INDEX calls_src_ip_start_ts ON calls (src_ip, start_ts);
CREATE INDEX calls_dst_ip_start_ts ON calls (dst_ip, start_ts);
