-- Console users: people who sign in to the console (API keys are for programs). Same roles as keys.
-- Sessions and set-password links keep only the SHA-256 of their tokens; ending a session or
-- spending a link sets its time, and the rows stay for the audit trail. Failed sign-ins are counted
-- per e-mail as typed, whether or not a user has it, so a lock reveals nothing about who exists.
CREATE TABLE console_users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'agent', 'dpo', 'analyst')),
  password_hash TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  disabled_at TIMESTAMPTZ
);

CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES console_users (id),
  csrf_token TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ
);
CREATE INDEX console_sessions_by_user ON console_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE console_password_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES console_users (id),
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ
);

CREATE TABLE sign_in_failures (
  email TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last_at TIMESTAMPTZ NOT NULL
);
