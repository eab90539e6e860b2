-- Customers, products, orders, the append-only ledger, suppressions, API keys and the audit log.
-- Times are ISO-8601 UTC text (YYYY-MM-DDTHH:mm:ss.sssZ) so that text order is time order.

CREATE TABLE products (
  sku TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  brand TEXT,
  category TEXT NOT NULL
);
CREATE INDEX products_by_category ON products (category);

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'business')),
  name TEXT NOT NULL,
  email TEXT,                          -- primary e-mail, normalised; messages go here
  phone TEXT,                          -- primary phone, E.164
  emails TEXT NOT NULL DEFAULT '[]',   -- all e-mails, JSON array, primary first
  phones TEXT NOT NULL DEFAULT '[]',
  street TEXT,
  postal_code TEXT,
  city TEXT,
  country TEXT,
  postal_key TEXT,                     -- street|postcode folded: what post suppressions match
  locale TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX customers_by_email ON customers (email);
CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_postal_key ON customers (postal_key);
-- Narrow covering index: audience scans read it instead of the wide rows.
CREATE INDEX customers_for_audience ON customers (id, kind, email, phone, postal_key);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  sku TEXT NOT NULL REFERENCES products (sku),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  sold_via TEXT NOT NULL,
  opt_out_offered INTEGER NOT NULL CHECK (opt_out_offered IN (0, 1))
);
CREATE INDEX orders_by_customer ON orders (customer_id, sku, started_at, ended_at, opt_out_offered);

CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  kind TEXT NOT NULL CHECK (kind IN ('consent', 'objection')),
  purpose TEXT NOT NULL,               -- the purpose, or for an objection its scope
  channel TEXT,                        -- null: every channel
  value TEXT NOT NULL CHECK (value IN ('granted', 'withdrawn', 'objected')),
  at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  notice_version TEXT,
  notice_locale TEXT,
  evidence_ref TEXT,
  fingerprint TEXT NOT NULL UNIQUE     -- hash of the record's content: the same record is appended once
);
-- Covering: the latest record per customer and topic is found without reading the table.
CREATE INDEX ledger_by_customer ON ledger (customer_id, kind, purpose, at, seq, channel, value);
-- Who has any record on a topic: sparse topics (objections) are checked only for them.
CREATE INDEX ledger_by_topic ON ledger (kind, purpose, customer_id);

CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: ledger rows are never updated'); END;
CREATE TRIGGER ledger_is_append_only_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: ledger rows are never deleted'); END;

CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'robinson')),
  at TEXT NOT NULL,
  valid_until TEXT,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE
);
CREATE INDEX suppressions_by_address ON suppressions (channel, address, at, reason, valid_until);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'agent', 'dpo', 'analyst')),
  key_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  customer_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_customer ON audit_log (customer_id, at);

CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY: audit rows are never updated'); END;
