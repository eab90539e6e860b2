-- Segments offered to advertisers for ads on the company's sites [S28] (docs/sites-and-ads.md,
-- "Audiences for advertisers"). An advertiser sees the name, the description and the size rounded to
-- hundreds, never who is in it; the ad server gets a visitor's offered segment ids only with
-- `site_ads` consent (compliance.md §2 rule 9). Removing the segment withdraws the offer with it.
CREATE TABLE advertiser_segments (
  segment_id INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
  name TEXT NOT NULL,                  -- as advertisers see it (the segment's own name is internal)
  description TEXT NOT NULL,
  offered_at TEXT NOT NULL,
  offered_by TEXT NOT NULL
);
