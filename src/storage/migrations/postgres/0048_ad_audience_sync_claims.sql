-- One sync of an ad audience at a time, whichever process runs it (the server's upkeep thread, the
-- API, `lupa audiences sync`): a sync first claims its audience with a conditional UPDATE that only
-- one caller wins, renews the claim while it runs, and gives it back at its end. A claim not renewed
-- for longer than the stale limit (src/use-cases/ad-audiences/sync-ad-audience.ts) is a crashed
-- process's and may be taken over. Overlapping syncs each sent the same difference and recorded it,
-- and an older sync's addition could reach the platform after a newer sync's removal.
ALTER TABLE ad_audiences ADD COLUMN sync_claim TEXT;
ALTER TABLE ad_audiences ADD COLUMN sync_claimed_at TIMESTAMPTZ;
