-- A suppression whose address is rewritten (to the canonical form of core/addresses.ts, by the data
-- step 0012_canonical_addresses) changes the audience summary of every customer holding the old
-- address and of every customer holding the new one: both are marked, as inserts and deletes are.
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
