-- PostgreSQL only (its 0039 makes an objection wait for a segment refresh or a scoring run that is
-- writing). SQLite has one writer: a run that read the ledger before an objection committed cannot
-- commit its writes after it: a refresh takes the write lock with its first statement, and a
-- scoring run deletes the scores of objectors it can see before it commits.
SELECT 1;
