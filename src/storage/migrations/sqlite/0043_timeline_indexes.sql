-- The customer's timeline (docs/customer-service.md#the-customers-history): each source reads the
-- customer's rows newest first by its own time column, so each needs an index on (customer, time).
-- Sources whose index already exists: calls (calls_by_customer), suppressions (by address, the
-- customer's few addresses), ticket messages (through the customer's tickets).
CREATE INDEX orders_by_customer_start ON orders (customer_id, started_at);
CREATE INDEX orders_by_customer_end ON orders (customer_id, ended_at);
CREATE INDEX ledger_by_customer_time ON ledger (customer_id, at);
CREATE INDEX deliveries_by_customer_time ON deliveries (customer_id, created_at);
-- A message's first open and click: the delivery's hits by kind and time.
CREATE INDEX tracking_by_delivery ON tracking_events (delivery_id, kind, at);
CREATE INDEX call_recordings_by_customer ON call_recordings (customer_id, started_at);
CREATE INDEX tickets_by_customer_created ON tickets (customer_id, created_at);
CREATE INDEX tickets_by_customer_solved ON tickets (customer_id, solved_at);
CREATE INDEX offer_outcomes_by_customer_time ON offer_outcomes (customer_id, at);
CREATE INDEX stated_interests_by_customer_time ON stated_interests (customer_id, at);
CREATE INDEX feedback_requests_by_customer_time ON feedback_requests (customer_id, created_at);
CREATE INDEX phone_sales_by_customer_time ON phone_sales (customer_id, created_at);
