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
  seq BIGSERIAL PRIMARY KEY,
  customer_id TEXT NOT NULL,
  topic TEXT NOT NULL REFERENCES interest_topics (code),
  value TEXT NOT NULL CHECK (value IN ('interested', 'not_interested')),
  source TEXT NOT NULL CHECK (source IN ('preference_page', 'agent', 'import')),
  actor TEXT NOT NULL,                 -- who recorded it: 'customer' on the page, the agent's id and name
  at TIMESTAMPTZ NOT NULL,             -- when the person said it
  recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX stated_interests_by_customer ON stated_interests (customer_id, topic, at);
CREATE INDEX stated_interests_by_topic ON stated_interests (topic, customer_id);

CREATE TABLE inferred_interests (
  customer_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  weight DOUBLE PRECISION NOT NULL CHECK (weight > 0 AND weight <= 1),
  computed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (customer_id, topic)
);
CREATE INDEX inferred_interests_by_topic ON inferred_interests (topic, weight);

-- Rule 7: an objection to direct marketing or to profiling deletes the inferred interests at once.
-- It waits for an inference run that is writing (the run holds this lock exclusively), so that a run
-- that read the ledger before the objection committed cannot bring the rows back after the delete.
CREATE FUNCTION inferred_interests_gone_on_objection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE kind = 'objection' AND value = 'objected' AND purpose IN ('direct_marketing', 'profiling')) THEN
    PERFORM pg_advisory_xact_lock_shared(hashtext('lupa.interests.refresh' || current_schema()));
    DELETE FROM inferred_interests i USING new_rows n
    WHERE i.customer_id = n.customer_id
      AND n.kind = 'objection' AND n.value = 'objected' AND n.purpose IN ('direct_marketing', 'profiling');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER inferred_interests_gone_on_objection AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inferred_interests_gone_on_objection();

-- "Not interested" takes the inferred topic away at once, not only at the next inference; and a
-- stated interest can change segment membership, so the customer is recomputed at the next refresh.
CREATE FUNCTION stated_interests_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM inferred_interests i USING new_rows n
  WHERE n.value = 'not_interested' AND i.customer_id = n.customer_id AND i.topic = n.topic;
  INSERT INTO segment_changes (customer_id) SELECT DISTINCT customer_id FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER stated_interests_written AFTER INSERT ON stated_interests
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stated_interests_written();

CREATE FUNCTION inferred_interests_gone_with_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM inferred_interests WHERE customer_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END $$;
CREATE TRIGGER inferred_interests_gone_with_customer AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION inferred_interests_gone_with_customer();

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
