-- The fresh preference links sent on request (the "send me a new link" of an expired link's page):
-- one row per customer holding when the last one was sent, so that at most one goes out per
-- LUPA_PREFERENCE_LINK_RESEND_MINUTES whichever process answers. The row is taken by one upsert
-- before the message is handed off, and removed again if the hand-off fails.
-- The time this migration is applied (schema_migrations) is also when the links made before
-- tokens carried their issue time count as made (docs/decisions/0014-link-lifetimes.md).
CREATE TABLE preference_link_requests (
  customer_id TEXT PRIMARY KEY REFERENCES customers (id),
  requested_at TEXT NOT NULL
);
