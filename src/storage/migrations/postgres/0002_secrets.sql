-- Keys Lupa generates for itself (e.g. the token-signing key), shared by every process on the store.
CREATE TABLE app_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
