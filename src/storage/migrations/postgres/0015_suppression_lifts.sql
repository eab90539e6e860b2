-- A person's own new consent supersedes their own earlier unsubscribe: the unsubscribe suppression
-- of their address is lifted from that time on. Suppressions are appended, never edited, so a lift
-- is a row of its own naming the suppression it ends; a hard bounce, complaint or Robinson entry
-- is never lifted (the insert is refused). Every path that asks whether a suppression stands reads
-- the lifts through one definition (suppressionInForceSql in src/storage/audience-summaries.ts).
-- A summary keeps only whether an address has any suppression entry, which a lift does not change,
-- so lifts mark nothing dirty: the suppression bits are always read at question time.
CREATE TABLE suppression_lifts (
  id BIGSERIAL PRIMARY KEY,
  suppression_id BIGINT NOT NULL REFERENCES suppressions (id),
  at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  source TEXT NOT NULL,
  evidence_ref TEXT
);
CREATE INDEX suppression_lifts_by_suppression ON suppression_lifts (suppression_id, at);

CREATE FUNCTION lupa_lift_only_unsubscribe() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT reason FROM suppressions WHERE id = NEW.suppression_id) IS DISTINCT FROM 'unsubscribe' THEN
    RAISE EXCEPTION 'SUPPRESSION_NOT_LIFTABLE: only an unsubscribe suppression is lifted';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER suppression_lifts_only_unsubscribe BEFORE INSERT ON suppression_lifts
  FOR EACH ROW EXECUTE FUNCTION lupa_lift_only_unsubscribe();
CREATE TRIGGER suppression_lifts_are_append_only BEFORE UPDATE OR DELETE ON suppression_lifts
  FOR EACH ROW EXECUTE FUNCTION lupa_refuse_change();
