-- Substring search for the call list (GET /api/calls ?caller= ?callee= ?party= ?ua=).
-- Forward-only like every migration: never edit once released.
--
-- A trigram full-text index (FTS5, tokenize='trigram') over the party and user-agent columns
-- of `calls`, so a substring of three or more characters finds its calls without reading the
-- table. It is an external-content index (content='calls'): it stores only the index, the
-- text stays in `calls`. The server still applies its LIKE test to every candidate, so the
-- index only narrows the search and never changes which calls match.

CREATE VIRTUAL TABLE calls_text USING fts5(
  caller_user, caller_display, caller_uri,
  callee_user, callee_display, callee_uri,
  request_uri, caller_user_agent, callee_user_agent,
  content = 'calls', content_rowid = 'id', tokenize = 'trigram'
);

-- Index the calls already in the database.
INSERT INTO calls_text (calls_text) VALUES ('rebuild');

-- Keep the index in step with `calls`. The collector rewrites a call's row many times while
-- the call progresses (INSERT … ON CONFLICT DO UPDATE); the update trigger fires only when an
-- indexed column actually changed, so those rewrites cost the index nothing.
CREATE TRIGGER calls_text_insert AFTER INSERT ON calls BEGIN
  INSERT INTO calls_text (rowid, caller_user, caller_display, caller_uri, callee_user, callee_display,
    callee_uri, request_uri, caller_user_agent, callee_user_agent)
  VALUES (new.id, new.caller_user, new.caller_display, new.caller_uri, new.callee_user, new.callee_display,
    new.callee_uri, new.request_uri, new.caller_user_agent, new.callee_user_agent);
END;

CREATE TRIGGER calls_text_delete AFTER DELETE ON calls BEGIN
  INSERT INTO calls_text (calls_text, rowid, caller_user, caller_display, caller_uri, callee_user,
    callee_display, callee_uri, request_uri, caller_user_agent, callee_user_agent)
  VALUES ('delete', old.id, old.caller_user, old.caller_display, old.caller_uri, old.callee_user,
    old.callee_display, old.callee_uri, old.request_uri, old.caller_user_agent, old.callee_user_agent);
END;

CREATE TRIGGER calls_text_update AFTER UPDATE ON calls
WHEN old.id IS NOT new.id
  OR old.caller_user IS NOT new.caller_user OR old.caller_display IS NOT new.caller_display
  OR old.caller_uri IS NOT new.caller_uri OR old.callee_user IS NOT new.callee_user
  OR old.callee_display IS NOT new.callee_display OR old.callee_uri IS NOT new.callee_uri
  OR old.request_uri IS NOT new.request_uri OR old.caller_user_agent IS NOT new.caller_user_agent
  OR old.callee_user_agent IS NOT new.callee_user_agent
BEGIN
  INSERT INTO calls_text (calls_text, rowid, caller_user, caller_display, caller_uri, callee_user,
    callee_display, callee_uri, request_uri, caller_user_agent, callee_user_agent)
  VALUES ('delete', old.id, old.caller_user, old.caller_display, old.caller_uri, old.callee_user,
    old.callee_display, old.callee_uri, old.request_uri, old.caller_user_agent, old.callee_user_agent);
  INSERT INTO calls_text (rowid, caller_user, caller_display, caller_uri, callee_user, callee_display,
    callee_uri, request_uri, caller_user_agent, callee_user_agent)
  VALUES (new.id, new.caller_user, new.caller_display, new.caller_uri, new.callee_user, new.callee_display,
    new.callee_uri, new.request_uri, new.caller_user_agent, new.callee_user_agent);
END;
