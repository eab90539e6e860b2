-- A customer's messages (GET /v1/customers/{id}/messages) are read by customer, newest first.
CREATE INDEX deliveries_by_customer ON deliveries (customer_id, id);
