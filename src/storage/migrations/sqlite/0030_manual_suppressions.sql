-- The suppression list worked by hand (core/suppression-list.ts): a person (the DPO) adds a
-- `manual` suppression with a note saying why, and may lift a manual entry, a hard bounce or a
-- complaint with a note; an unsubscribe is still lifted only by the person's own consent, a
-- Robinson entry never. Suppressions and lifts stay append-only: a lift is a row of its own.
--
-- SQLite cannot change a CHECK constraint in place, so the suppressions table is built again with
-- `manual` among the reasons and a `note` column, its rows copied with their ids (the lifts refer
-- to them; foreign keys are checked at commit, when every lift has its suppression again), and its
-- index and audience triggers (0008, 0011) made again as they were.
PRAGMA defer_foreign_keys = ON;

DROP TRIGGER suppression_lifts_only_unsubscribe;
CREATE TABLE suppressions_before_0030 AS SELECT * FROM suppressions;
DROP TABLE suppressions;

CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'robinson', 'manual')),
  at TEXT NOT NULL,
  valid_until TEXT,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE,
  note TEXT                            -- why a person added it (manual entries); null otherwise
);
INSERT INTO suppressions (id, channel, address, reason, at, valid_until, recorded_at, source, fingerprint)
  SELECT id, channel, address, reason, at, valid_until, recorded_at, source, fingerprint FROM suppressions_before_0030;
DROP TABLE suppressions_before_0030;
CREATE INDEX suppressions_by_address ON suppressions (channel, address, at, reason, valid_until);

CREATE TRIGGER audience_dirty_on_suppression_insert AFTER INSERT ON suppressions
BEGIN
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'email' AND email = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel IN ('sms', 'phone') AND phone = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'post' AND postal_key = NEW.address;
END;
CREATE TRIGGER audience_dirty_on_suppression_delete AFTER DELETE ON suppressions
BEGIN
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'email' AND email = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel IN ('sms', 'phone') AND phone = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'post' AND postal_key = OLD.address;
END;
CREATE TRIGGER audience_dirty_on_suppression_update AFTER UPDATE OF channel, address ON suppressions
WHEN OLD.channel IS NOT NEW.channel OR OLD.address IS NOT NEW.address
BEGIN
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'email' AND email = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel IN ('sms', 'phone') AND phone = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE OLD.channel = 'post' AND postal_key = OLD.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'email' AND email = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel IN ('sms', 'phone') AND phone = NEW.address;
  INSERT INTO audience_dirty (customer_id) SELECT id FROM customers WHERE NEW.channel = 'post' AND postal_key = NEW.address;
END;
-- The search by address prefix and newest first (core/suppression-list.ts).
CREATE INDEX suppressions_by_address_text ON suppressions (address, id);

-- A lift says why when a person made it; the rule of what may be lifted (liftStorable).
ALTER TABLE suppression_lifts ADD COLUMN note TEXT;
CREATE TRIGGER suppression_lifts_only_with_reason BEFORE INSERT ON suppression_lifts
WHEN (SELECT reason FROM suppressions WHERE id = NEW.suppression_id) IS NOT 'unsubscribe'
BEGIN
  SELECT CASE
    WHEN (SELECT reason FROM suppressions WHERE id = NEW.suppression_id) IS NOT 'robinson'
      AND (SELECT reason FROM suppressions WHERE id = NEW.suppression_id) IS NOT NULL
      AND trim(coalesce(NEW.note, '')) <> ''
    THEN NULL
    WHEN (SELECT reason FROM suppressions WHERE id = NEW.suppression_id) IN ('hard_bounce', 'complaint', 'manual')
    THEN RAISE(ABORT, 'SUPPRESSION_LIFT_NEEDS_NOTE: lifting this suppression needs a note')
    ELSE RAISE(ABORT, 'SUPPRESSION_NOT_LIFTABLE: a Robinson entry is never lifted')
  END;
END;
