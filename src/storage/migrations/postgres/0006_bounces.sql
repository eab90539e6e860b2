-- What came back for a delivery: a hard or soft bounce, or a complaint.
ALTER TABLE deliveries ADD COLUMN bounce TEXT CHECK (bounce IN ('hard', 'soft', 'complaint'));
ALTER TABLE deliveries ADD COLUMN soft_bounces INTEGER NOT NULL DEFAULT 0;
