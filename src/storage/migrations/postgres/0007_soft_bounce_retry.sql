-- A soft-bounced delivery goes back to the queue to be sent again, but not before this time
-- (back-off). Which attempt a hand-off is follows from soft_bounces: attempt = soft_bounces + 1.
ALTER TABLE deliveries ADD COLUMN not_before TIMESTAMPTZ;
