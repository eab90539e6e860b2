-- The marks of audience_dirty also tell the decision records cache (decision-records-cache.ts)
-- which customers changed since it last looked. It reads them by seq, so a seq must never be
-- handed out twice: AUTOINCREMENT keeps counting after the refresh deletes the marks it covered
-- (a plain rowid would start again at 1 once the table is empty, and the cache would miss marks).
-- legacy_alter_table: the rename must not re-check the triggers that insert into audience_dirty
-- while the table is briefly missing; they name it and work again once it has its name back.
PRAGMA legacy_alter_table = ON;
CREATE TABLE audience_dirty_next (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL
);
INSERT INTO audience_dirty_next (seq, customer_id) SELECT seq, customer_id FROM audience_dirty;
DROP TABLE audience_dirty;
ALTER TABLE audience_dirty_next RENAME TO audience_dirty;
PRAGMA legacy_alter_table = OFF;

-- What a decision reads of a customer beyond the columns the audience summary watches (0008):
-- its other addresses and postal address, name and language. Only a real change marks it, so a
-- re-import of unchanged customers marks no one.
CREATE TRIGGER audience_dirty_on_customer_details AFTER UPDATE ON customers
WHEN OLD.name IS NOT NEW.name OR OLD.emails IS NOT NEW.emails OR OLD.phones IS NOT NEW.phones
  OR OLD.street IS NOT NEW.street OR OLD.postal_code IS NOT NEW.postal_code OR OLD.city IS NOT NEW.city
  OR OLD.country IS NOT NEW.country OR OLD.locale IS NOT NEW.locale
BEGIN INSERT INTO audience_dirty (customer_id) VALUES (NEW.id); END;

-- A lifted suppression changes what decide answers (suppressionInForce), so its address's
-- customers are marked as for a new suppression.
CREATE TRIGGER audience_dirty_on_suppression_lift AFTER INSERT ON suppression_lifts
BEGIN
  INSERT INTO audience_dirty (customer_id)
    SELECT c.id FROM suppressions x JOIN customers c ON c.email = x.address WHERE x.id = NEW.suppression_id AND x.channel = 'email';
  INSERT INTO audience_dirty (customer_id)
    SELECT c.id FROM suppressions x JOIN customers c ON c.phone = x.address WHERE x.id = NEW.suppression_id AND x.channel IN ('sms', 'phone');
  INSERT INTO audience_dirty (customer_id)
    SELECT c.id FROM suppressions x JOIN customers c ON c.postal_key = x.address WHERE x.id = NEW.suppression_id AND x.channel = 'post';
END;
