-- Customer feedback [S25] (docs/customer-service.md#feedback): a CSAT question after a solved
-- ticket and NPS surveys sent to a seeded sample of customers. Both are research (compliance rule
-- 11): each request keeps the decision it was sent on (basis, or the reasons it was not). A request
-- holds its one answer: answered_at is set once, never changed (one answer per request).

CREATE TABLE nps_surveys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seed TEXT NOT NULL,                  -- the sample's seed: the same seed draws the same customers
  drawn INTEGER NOT NULL,              -- customers drawn into the sample
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE feedback_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('csat', 'nps')),
  ticket_id INTEGER UNIQUE REFERENCES tickets (id) ON DELETE CASCADE, -- csat: one per ticket
  survey_id INTEGER REFERENCES nps_surveys (id) ON DELETE CASCADE,   -- nps
  customer_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  agent TEXT,                          -- csat: the ticket's assignee when it was solved
  queue TEXT,                          -- csat: the ticket's queue
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'skipped', 'failed')),
  basis TEXT,                          -- the decision's basis when allowed
  reasons TEXT NOT NULL DEFAULT '',    -- the decision's reason codes, comma-separated
  month TEXT NOT NULL,                 -- YYYY-MM of created_at (UTC): the reporting period
  created_at TEXT NOT NULL,
  sent_at TEXT,
  expires_at TEXT NOT NULL,
  score INTEGER,                       -- csat 1..5, nps 0..10
  comment TEXT,
  answered_at TEXT,
  UNIQUE (survey_id, customer_id)
);
CREATE INDEX feedback_requests_by_month ON feedback_requests (kind, month);
CREATE INDEX feedback_requests_by_customer ON feedback_requests (customer_id);
