-- Own-product ads on the company's sites [S8, S14] (docs/sites-and-ads.md, "Own-product ads on the
-- sites"). The target is a page of the company's own sites, checked when the ad is written; a click
-- redirects only to the stored target. Impressions and clicks are counted per ad, placement, day
-- and basis: 'aggregate' for visitors without site_ads consent (no identifier anywhere), 'people'
-- for visitors with it (whose events are also kept per visitor in site_events, with their retention).
CREATE TABLE site_ads (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  headline TEXT NOT NULL,
  body_text TEXT NOT NULL,
  image_url TEXT,                      -- https URL or a path on the site; NULL: text only
  target_url TEXT NOT NULL,
  sku TEXT REFERENCES products (sku),
  placements TEXT NOT NULL,            -- JSON array of placement names
  valid_from TEXT,
  valid_until TEXT,
  active SMALLINT NOT NULL CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE site_ad_counts (
  ad_id INTEGER NOT NULL REFERENCES site_ads (id) ON DELETE CASCADE,
  placement TEXT NOT NULL,
  day TEXT NOT NULL,                   -- YYYY-MM-DD, UTC
  basis TEXT NOT NULL CHECK (basis IN ('people', 'aggregate')),
  impressions BIGINT NOT NULL DEFAULT 0,
  clicks BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (ad_id, placement, day, basis)
);
