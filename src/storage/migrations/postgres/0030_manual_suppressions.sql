-- The suppression list worked by hand (core/suppression-list.ts): a person (the DPO) adds a
-- `manual` suppression with a note saying why, and may lift a manual entry, a hard bounce or a
-- complaint with a note; an unsubscribe is still lifted only by the person's own consent, a
-- Robinson entry never. Suppressions and lifts stay append-only: a lift is a row of its own.
ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check;
ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check
  CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'robinson', 'manual'));
ALTER TABLE suppressions ADD COLUMN note TEXT;  -- why a person added it (manual entries); null otherwise

-- The search by address prefix (code-point order, whatever the database's collation) and newest first.
CREATE INDEX suppressions_by_address_text ON suppressions ((address COLLATE "C"), id);

-- A lift says why when a person made it; the rule of what may be lifted (liftStorable).
ALTER TABLE suppression_lifts ADD COLUMN note TEXT;
DROP TRIGGER suppression_lifts_only_unsubscribe ON suppression_lifts;
DROP FUNCTION lupa_lift_only_unsubscribe();
CREATE FUNCTION lupa_lift_only_with_reason() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lifted_reason TEXT := (SELECT reason FROM suppressions WHERE id = NEW.suppression_id);
BEGIN
  IF lifted_reason = 'unsubscribe' THEN
    RETURN NEW;
  END IF;
  IF lifted_reason IN ('hard_bounce', 'complaint', 'manual') THEN
    IF btrim(coalesce(NEW.note, '')) = '' THEN
      RAISE EXCEPTION 'SUPPRESSION_LIFT_NEEDS_NOTE: lifting this suppression needs a note';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'SUPPRESSION_NOT_LIFTABLE: a Robinson entry is never lifted';
END $$;
CREATE TRIGGER suppression_lifts_only_with_reason BEFORE INSERT ON suppression_lifts
  FOR EACH ROW EXECUTE FUNCTION lupa_lift_only_with_reason();
