-- The decision records cache on PostgreSQL (postgres-decision-records-cache.ts, decision 0031)
-- forgets customers when a notification tells it that something a decision reads about them
-- changed. PostgreSQL delivers notifications in commit order, so a listener that sends a
-- notification of its own and receives it has received every notification of every transaction
-- committed before it sent it: a decision then sees every write committed before it started, as
-- without the cache.
--
-- The channel is this schema's own: 'lupa_dr_' and 16 hex digits of the md5 of the schema's name
-- (decision_records_channel below; the cache asks for it), so that stores in other schemas of the
-- same database neither disturb nor hear each other.
--
-- What a notification says:
--  - the customer ids of one statement's marks in audience_dirty (0008, 0011), as a JSON array:
--    writes that name their customer (ledger, orders, customers);
--  - '*' (forget everyone) for a statement that marked more than 100 customers, and for every
--    change of suppressions, suppression lifts and products. Those reach their customers through
--    a join (the address, the orders of a product) made in the writer's snapshot: a customer who
--    took the address, or ordered the product, in a transaction committed in between would not be
--    named, and their entry, read again after that commit, would outlive the change.

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

CREATE FUNCTION decision_records_channel(schema_name TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT 'lupa_dr_' || left(md5(schema_name), 16)
$$;

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
  PERFORM pg_notify(decision_records_channel(TG_TABLE_SCHEMA), ids);
  RETURN NULL;
END $$;
CREATE TRIGGER decision_records_changed AFTER INSERT ON audience_dirty
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_records_changed();

CREATE FUNCTION decision_records_changed_for_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(decision_records_channel(TG_TABLE_SCHEMA), '*');
  RETURN NULL;
END $$;
CREATE TRIGGER decision_records_on_suppressions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON suppressions
  FOR EACH STATEMENT EXECUTE FUNCTION decision_records_changed_for_everyone();
CREATE TRIGGER decision_records_on_suppression_lifts AFTER INSERT ON suppression_lifts
  FOR EACH STATEMENT EXECUTE FUNCTION decision_records_changed_for_everyone();
CREATE TRIGGER decision_records_on_products AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION decision_records_changed_for_everyone();
