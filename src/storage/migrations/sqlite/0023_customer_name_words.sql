-- Name search by the start of any word of the name, in any order, case and diacritics folded
-- (docs/decisions/0016). customers.name_words holds the name's folded words as a JSON array,
-- computed by the application (src/core/name-words.ts) on every write of a customer, the import's
-- bulk writers included; the triggers below keep customer_name_words, the index a search reads,
-- equal to it, so no write path can forget it. Rows stored before this migration get their words
-- from the data step 0023_customer_name_words_fill (src/storage/name-words-fill.ts).
ALTER TABLE customers ADD COLUMN name_words TEXT NOT NULL DEFAULT '[]';

CREATE TABLE customer_name_words (
  word TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (word, customer_id)
) WITHOUT ROWID;
-- A customer's words, found when the name changes or the customer is removed.
CREATE INDEX customer_name_words_by_customer ON customer_name_words (customer_id, word);

CREATE TRIGGER customer_name_words_on_insert AFTER INSERT ON customers
BEGIN
  INSERT OR IGNORE INTO customer_name_words (word, customer_id) SELECT value, NEW.id FROM json_each(NEW.name_words);
END;
CREATE TRIGGER customer_name_words_on_update AFTER UPDATE OF id, name_words ON customers
WHEN OLD.id IS NOT NEW.id OR OLD.name_words IS NOT NEW.name_words
BEGIN
  DELETE FROM customer_name_words WHERE customer_id = OLD.id;
  INSERT OR IGNORE INTO customer_name_words (word, customer_id) SELECT value, NEW.id FROM json_each(NEW.name_words);
END;
CREATE TRIGGER customer_name_words_on_delete AFTER DELETE ON customers
BEGIN
  DELETE FROM customer_name_words WHERE customer_id = OLD.id;
END;
