-- The decision records cache on PostgreSQL (postgres-decision-records-cache.ts, decision 0031)
-- forgets a customer when it is told, by a notification on channel `lupa_decision_records`, that
-- something a decision reads about that customer changed. PostgreSQL delivers notifications in
-- commit order, so a listener that sends a notification of its own and receives it has received
-- every notification of every transaction committed before it sent it: a decision then sees every
-- write committed before it started, as without the cache.
--
-- Every such change already marks the customer in audience_dirty (0008, 0011), in the writer's own
-- transaction, whichever process writes; what a decision reads beyond the summary's columns is
-- marked here too (as on SQLite, migration 0047 there). One statement-level trigger on the marks
-- sends them: the customer ids of a statement as a JSON array, or '*' (forget everyone) when a
-- statement marked more than 100 customers or their ids do not fit in a notification's 8000 bytes.

-- What a decision reads of a customer beyond the columns the audience summary watches: its other
-- addresses and postal address, name and language. Only a real change marks it.
CREATE FUNCTION audience_dirty_from_customer_details() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audience_dirty (customer_id)
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.name, n.emails, n.phones, n.street, n.postal_code, n.city, n.country, n.locale)
      IS DISTINCT FROM (o.name, o.emails, o.phones, o.street, o.postal_code, o.city, o.country, o.locale);
  RETURN NULL;
END $$;
CREATE TRIGGER audience_dirty_on_customer_details AFTER UPDATE ON customers
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_customer_details();

-- A lifted suppression changes what decide answers (suppressionInForce), so its address's
-- customers are marked as for a new suppression.
CREATE FUNCTION audience_dirty_from_suppression_lifts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audience_dirty (customer_id)
    SELECT c.id FROM new_rows l JOIN suppressions s ON s.id = l.suppression_id JOIN customers c ON s.channel = 'email' AND c.email = s.address
    UNION SELECT c.id FROM new_rows l JOIN suppressions s ON s.id = l.suppression_id JOIN customers c ON s.channel IN ('sms', 'phone') AND c.phone = s.address
    UNION SELECT c.id FROM new_rows l JOIN suppressions s ON s.id = l.suppression_id JOIN customers c ON s.channel = 'post' AND c.postal_key = s.address;
  RETURN NULL;
END $$;
CREATE TRIGGER audience_dirty_on_suppression_lift AFTER INSERT ON suppression_lifts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audience_dirty_from_suppression_lifts();

CREATE FUNCTION decision_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT;
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows OFFSET 100) THEN
    ids := '*';
  ELSE
    SELECT json_agg(DISTINCT customer_id)::text INTO ids FROM new_rows;
    IF ids IS NULL THEN RETURN NULL; END IF;
    IF octet_length(ids) > 7900 THEN ids := '*'; END IF;
  END IF;
  PERFORM pg_notify('lupa_decision_records', ids);
  RETURN NULL;
END $$;
CREATE TRIGGER decision_records_changed AFTER INSERT ON audience_dirty
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_records_changed();

-- The products are kept in memory and read again after any change of the catalogue.
CREATE FUNCTION decision_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lupa_decision_records', 'catalogue');
  RETURN NULL;
END $$;
CREATE TRIGGER decision_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION decision_catalogue_changed();
