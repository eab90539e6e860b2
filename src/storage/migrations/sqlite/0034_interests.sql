-- Interests (docs/segments-and-predictions.md, "Interests"): topics a person may be interested in,
-- the product categories that imply each topic, what people said (stated interests, appended,
-- never edited) and what we infer from the products they tried (inferred interests, derived data:
-- profiling, compliance.md §2 rule 7). An objection to direct marketing or to profiling deletes the
-- person's inferred interests in the same transaction (trigger below), and the inference admits no
-- objector.

CREATE TABLE interest_topics (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
  name_fi TEXT NOT NULL,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  position INTEGER NOT NULL            -- the order topics are offered in
);

-- Which product categories imply which topic: a trial of the category counts toward the topic.
CREATE TABLE interest_topic_categories (
  category TEXT NOT NULL,
  topic TEXT NOT NULL REFERENCES interest_topics (code),
  PRIMARY KEY (category, topic)
);

CREATE TABLE stated_interests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL,
  topic TEXT NOT NULL REFERENCES interest_topics (code),
  value TEXT NOT NULL CHECK (value IN ('interested', 'not_interested')),
  source TEXT NOT NULL CHECK (source IN ('preference_page', 'agent', 'import')),
  actor TEXT NOT NULL,                 -- who recorded it: 'customer' on the page, the agent's id and name
  at TEXT NOT NULL,                    -- when the person said it
  recorded_at TEXT NOT NULL
);
CREATE INDEX stated_interests_by_customer ON stated_interests (customer_id, topic, at);
CREATE INDEX stated_interests_by_topic ON stated_interests (topic, customer_id);

CREATE TABLE inferred_interests (
  customer_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  weight REAL NOT NULL CHECK (weight > 0 AND weight <= 1),
  computed_at TEXT NOT NULL,
  PRIMARY KEY (customer_id, topic)
);
CREATE INDEX inferred_interests_by_topic ON inferred_interests (topic, weight);

-- Rule 7: an objection to direct marketing or to profiling deletes the inferred interests at once.
CREATE TRIGGER inferred_interests_gone_on_objection AFTER INSERT ON ledger
WHEN NEW.kind = 'objection' AND NEW.value = 'objected' AND NEW.purpose IN ('direct_marketing', 'profiling')
BEGIN DELETE FROM inferred_interests WHERE customer_id = NEW.customer_id; END;

-- "Not interested" takes the inferred topic away at once, not only at the next inference.
CREATE TRIGGER inferred_interest_gone_when_not_interested AFTER INSERT ON stated_interests
WHEN NEW.value = 'not_interested'
BEGIN DELETE FROM inferred_interests WHERE customer_id = NEW.customer_id AND topic = NEW.topic; END;

-- A stated interest can change segment membership: the customer is recomputed at the next refresh.
CREATE TRIGGER segment_changes_on_stated_interest AFTER INSERT ON stated_interests
BEGIN INSERT INTO segment_changes (customer_id) VALUES (NEW.customer_id); END;

CREATE TRIGGER inferred_interests_gone_with_customer AFTER DELETE ON customers
BEGIN DELETE FROM inferred_interests WHERE customer_id = OLD.id; END;

INSERT INTO interest_topics (code, name_fi, name_sv, name_en, position) VALUES
  ('news', 'Uutiset', 'Nyheter', 'News', 1),
  ('sport', 'Urheilu', 'Sport', 'Sport', 2),
  ('culture', 'Kulttuuri', 'Kultur', 'Culture', 3),
  ('economy', 'Talous', 'Ekonomi', 'Economy', 4),
  ('home_garden', 'Koti ja puutarha', 'Hem och trädgård', 'Home and garden', 5),
  ('cars', 'Autot', 'Bilar', 'Cars', 6),
  ('travel', 'Matkailu', 'Resor', 'Travel', 7),
  ('children', 'Lapset', 'Barn', 'Children', 8),
  ('history', 'Historia', 'Historia', 'History', 9),
  ('science', 'Tiede', 'Vetenskap', 'Science', 10);

INSERT INTO interest_topic_categories (category, topic) VALUES
  ('daily', 'news'),
  ('regional', 'news'),
  ('digital_news', 'news'),
  ('magazine_home', 'home_garden'),
  ('magazine_business', 'economy'),
  ('magazine_lifestyle', 'culture'),
  ('magazine_hobby', 'travel'),
  ('podcast_audio', 'culture');
