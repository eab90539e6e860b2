-- An objection deletes the person's segment memberships and prediction scores in its own
-- transaction (compliance.md §2 rule 7). On PostgreSQL a segment refresh or a scoring run that read
-- the ledger before the objection committed could otherwise write the person's rows after that
-- delete. So the objection waits for a run that is writing (each run holds its lock exclusively
-- for its whole transaction, and deletes the scores of objectors it can see before it commits);
-- a run that starts later sees the objection and admits no one who made it.

CREATE OR REPLACE FUNCTION segment_members_gone_on_objection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE kind = 'objection' AND value = 'objected' AND purpose IN ('direct_marketing', 'profiling')) THEN
    PERFORM pg_advisory_xact_lock_shared(hashtext('lupa.segments.refresh' || current_schema()));
    WITH objectors AS (
      SELECT DISTINCT customer_id FROM new_rows
      WHERE kind = 'objection' AND value = 'objected' AND purpose IN ('direct_marketing', 'profiling')
    ), gone AS (
      DELETE FROM segment_members m USING objectors o WHERE m.customer_id = o.customer_id RETURNING m.segment_id
    )
    UPDATE segments s SET member_count = s.member_count - g.n
      FROM (SELECT segment_id, COUNT(*) AS n FROM gone GROUP BY segment_id) g WHERE s.id = g.segment_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION lupa_prediction_scores_end_with_objection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtext('lupa.predictions.score' || current_schema()));
  DELETE FROM prediction_scores WHERE customer_id = NEW.customer_id;
  RETURN NULL;
END $$;
