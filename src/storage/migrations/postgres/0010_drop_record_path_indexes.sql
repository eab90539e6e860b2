-- Nothing to drop on PostgreSQL: the SQLite migration of this number drops two indexes that only
-- SQLite had for whole-audience scans; PostgreSQL's record path still hashes objections from
-- ledger_by_topic. (Kept so that both dialects number their migrations alike.)
SELECT 1;
