-- Name search by the start of any word of the name, in any order, case and diacritics folded
-- (docs/decisions/0016). customers.name_words holds the name's folded words as a JSON array,
-- computed by the application (src/core/name-words.ts) on every write of a customer, the import's
-- bulk writers included; the triggers below keep customer_name_words, the index a search reads,
-- equal to it, so no write path can forget it. Rows stored before this migration get their words
-- from the data step 0023_customer_name_words_fill (src/storage/name-words-fill.ts).
ALTER TABLE customers ADD COLUMN name_words TEXT NOT NULL DEFAULT '[]';

-- COLLATE "C": code-point order, so `word >= p AND word < p || U+10FFFF` is a prefix range the
-- btree answers, whatever the database's collation.
CREATE TABLE customer_name_words (
  word TEXT COLLATE "C" NOT NULL,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (word, customer_id)
);
-- A customer's words, found when the name changes or the customer is removed.
CREATE INDEX customer_name_words_by_customer ON customer_name_words (customer_id, word);

CREATE FUNCTION customer_name_words_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_name_words (word, customer_id)
      SELECT DISTINCT w.word, n.id FROM new_rows n CROSS JOIN LATERAL json_array_elements_text(n.name_words::json) AS w(word)
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only customers whose words changed (an id is never changed: it is the customer).
    DELETE FROM customer_name_words w USING new_rows n JOIN old_rows o ON o.id = n.id
      WHERE w.customer_id = n.id AND n.name_words IS DISTINCT FROM o.name_words;
    INSERT INTO customer_name_words (word, customer_id)
      SELECT DISTINCT w.word, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL json_array_elements_text(n.name_words::json) AS w(word)
      WHERE n.name_words IS DISTINCT FROM o.name_words
      ON CONFLICT DO NOTHING;
  ELSE
    DELETE FROM customer_name_words w USING old_rows o WHERE w.customer_id = o.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER customer_name_words_on_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_refresh();
CREATE TRIGGER customer_name_words_on_update AFTER UPDATE ON customers
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_refresh();
CREATE TRIGGER customer_name_words_on_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_name_words_refresh();
