-- A suppression whose address is rewritten (to the canonical form of core/addresses.ts, by the data
-- step 0012_canonical_addresses) changes the audience summary of every customer holding the old
-- address and of every customer holding the new one: both are marked, as inserts and deletes are.
-- (A trigger with transition tables cannot name columns, so every update runs it; the function
-- compares old and new.)
CREATE FUNCTION audience_dirty_from_suppression_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audience_dirty (customer_id)
    WITH moved AS (
      SELECT o.channel, o.address FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (n.channel, n.address) IS DISTINCT FROM (o.channel, o.address)
      UNION
      SELECT n.channel, n.address FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (n.channel, n.address) IS DISTINCT FROM (o.channel, o.address)
    )
    SELECT c.id FROM moved s JOIN customers c ON s.channel = 'email' AND c.email = s.address
    UNION SELECT c.id FROM moved s JOIN customers c ON s.channel IN ('sms', 'phone') AND c.phone = s.address
    UNION SELECT c.id FROM moved s JOIN customers c ON s.channel = 'post' AND c.postal_key = s.address;
  RETURN NULL;
END $$;

CREATE TRIGGER audience_dirty_on_suppression_update AFTER UPDATE ON suppressions
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_suppression_update();
