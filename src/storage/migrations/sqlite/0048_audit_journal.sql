-- Audit entries are first appended to audit_journal, a table without secondary indexes, and moved
-- into audit_log in bulk ("folded", sql-audit-log.ts): an entry written straight into audit_log
-- dirtied a page of each of its four indexes, one of them at a random place (by customer), so a
-- group of ten entries wrote some twenty pages to the WAL on every commit of a busy API
-- (decision 0032). Entries keep the id they got here: journal ids continue audit_log's sequence,
-- so one id order runs through both tables and reads see one log once the journal is folded.
CREATE TABLE audit_journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  customer_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'audit_journal', coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), (SELECT max(id) FROM audit_log), 0);

CREATE TRIGGER audit_journal_is_append_only_update BEFORE UPDATE ON audit_journal
BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never updated'); END;
