-- Support tickets (docs/customer-service.md): a customer's request, its messages (the customer's,
-- an agent's reply, an internal note) with the e-mail Message-IDs they came or went with, and the
-- attachments' metadata (the files are in the file store, LUPA_TICKET_FILES_DIR). Service
-- communication (compliance rule 1): nothing here is a basis for marketing.

CREATE TABLE tickets (
  id BIGSERIAL PRIMARY KEY,
  customer_id TEXT,                    -- null: an unknown sender, whose address is in contact
  contact TEXT,                        -- the requester's e-mail address or phone number (normalised)
  contact_name TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'web', 'phone', 'chat')),
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'solved', 'closed')),
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  queue TEXT NOT NULL,
  assignee TEXT,
  tags TEXT NOT NULL DEFAULT '[]',     -- JSON array of strings
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  first_response_due TIMESTAMPTZ NOT NULL,
  first_responded_at TIMESTAMPTZ,
  resolution_due TIMESTAMPTZ NOT NULL,
  solved_at TIMESTAMPTZ
);
-- The inbox: newest first, by status and by queue.
CREATE INDEX tickets_by_status ON tickets (status, id);
CREATE INDEX tickets_by_queue ON tickets (queue, status, id);
CREATE INDEX tickets_by_customer ON tickets (customer_id, id);

CREATE TABLE ticket_messages (
  id BIGSERIAL PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  author TEXT NOT NULL CHECK (author IN ('customer', 'agent', 'note')),
  author_name TEXT,
  body TEXT NOT NULL,
  message_id TEXT,                     -- the e-mail Message-ID, <…>, lower-cased
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, id);
CREATE INDEX ticket_messages_by_message_id ON ticket_messages (message_id);

CREATE TABLE ticket_attachments (
  id BIGSERIAL PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
  ticket_id BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  stored_as TEXT NOT NULL              -- the file's name in the file store
);
CREATE INDEX ticket_attachments_by_message ON ticket_attachments (message_id);
