-- Remarketing lists of site visitors [S20] (docs/sites-and-ads.md, "Remarketing lists"): a named
-- rule over the per-visitor site events, and its members as last refreshed. Members are visitor ids
-- of the site events, which exist only for visitors with site_ads consent (compliance.md §2 rule 9):
-- without consent nobody is on a list, and there is no row for them here either.
CREATE TABLE remarketing_lists (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  site TEXT,                           -- null: every site
  event TEXT NOT NULL,
  page_prefix TEXT,                    -- null: any page
  within_days INTEGER NOT NULL CHECK (within_days > 0),
  not_followed_by TEXT,                -- null: no "and did not do … after it"
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  member_count BIGINT NOT NULL DEFAULT 0,
  refreshed_at TIMESTAMPTZ
);

CREATE TABLE remarketing_members (
  list_id BIGINT NOT NULL REFERENCES remarketing_lists (id) ON DELETE CASCADE,
  visitor_id TEXT NOT NULL,
  PRIMARY KEY (visitor_id, list_id)    -- the browser's question: which lists is this visitor on
);
CREATE INDEX remarketing_members_list ON remarketing_members (list_id);
