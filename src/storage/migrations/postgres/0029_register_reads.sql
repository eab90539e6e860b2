-- The DPO's reads across customers (GET /v1/audit, GET /v1/ledger): newest first by the insertion
-- key, filtered by an equality or a time range. A rare actor, action or source, or a window in the
-- past, is reached through its index instead of a walk back from the newest row. Purpose, kind and
-- channel are few values each, so the walk back finds a page of them at once; a customer's rows are
-- few (audit_by_customer, ledger_by_customer).
CREATE INDEX audit_by_actor ON audit_log (actor, id);
CREATE INDEX audit_by_action ON audit_log (action, id);
CREATE INDEX audit_by_time ON audit_log (at, id);
CREATE INDEX ledger_by_source ON ledger (source, seq);
CREATE INDEX ledger_by_time ON ledger (at, seq);
