-- Customers, products, orders, the append-only ledger, suppressions, API keys and the audit log.

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
  email TEXT,
  phone TEXT,
  emails JSONB NOT NULL DEFAULT '[]',
  phones JSONB NOT NULL DEFAULT '[]',
  street TEXT,
  postal_code TEXT,
  city TEXT,
  country TEXT,
  postal_key TEXT,
  locale TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX customers_by_email ON customers (email);
CREATE INDEX customers_by_phone ON customers (phone);
CREATE INDEX customers_by_postal_key ON customers (postal_key);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  sku TEXT NOT NULL REFERENCES products (sku),
  started_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ,
  sold_via TEXT NOT NULL,
  opt_out_offered BOOLEAN NOT NULL
);
CREATE INDEX orders_by_customer ON orders (customer_id, sku, started_at, ended_at, opt_out_offered);

CREATE TABLE ledger (
  seq BIGSERIAL PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (id),
  kind TEXT NOT NULL CHECK (kind IN ('consent', 'objection')),
  purpose TEXT NOT NULL,
  channel TEXT,
  value TEXT NOT NULL CHECK (value IN ('granted', 'withdrawn', 'objected')),
  at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  source TEXT NOT NULL,
  notice_version TEXT,
  notice_locale TEXT,
  evidence_ref TEXT,
  fingerprint TEXT NOT NULL UNIQUE
);
CREATE INDEX ledger_by_customer ON ledger (customer_id, kind, purpose, at, seq);
CREATE INDEX ledger_by_topic ON ledger (kind, purpose, customer_id, at, seq);

CREATE FUNCTION lupa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%_APPEND_ONLY: % rows are never changed', upper(TG_TABLE_NAME), TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_is_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION lupa_refuse_change();

CREATE TABLE suppressions (
  id BIGSERIAL PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'unsubscribe', 'robinson')),
  at TIMESTAMPTZ NOT NULL,
  valid_until TIMESTAMPTZ,
  recorded_at TIMESTAMPTZ NOT NULL,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL UNIQUE
);
CREATE INDEX suppressions_by_address ON suppressions (channel, address, at);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'agent', 'dpo', 'analyst')),
  key_hash TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TIMESTAMPTZ NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  customer_id TEXT,
  detail JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_customer ON audit_log (customer_id, at);
CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION lupa_refuse_change();
