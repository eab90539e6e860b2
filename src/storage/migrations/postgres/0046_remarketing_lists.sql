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

-- An objection (direct marketing or profiling) or a withdrawal of site_ads takes the customer's
-- signed-in visitors off every list in the same transaction (compliance.md §2 rule 7: what exists
-- is deleted), not only at the next refresh; the browser's question checks the ledger as well.
-- A backdated withdrawal older than a later grant also removes them: the next refresh brings them back.
CREATE FUNCTION remarketing_members_gone_on_refusal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM remarketing_members m USING site_visitors v, new_rows n
  WHERE m.visitor_id = v.visitor_id AND v.customer_id = n.customer_id
    AND ((n.kind = 'objection' AND n.purpose IN ('direct_marketing', 'profiling') AND n.value = 'objected')
      OR (n.kind = 'consent' AND n.purpose = 'site_ads' AND n.value = 'withdrawn' AND (n.channel IS NULL OR n.channel = 'web')));
  RETURN NULL;
END $$;
CREATE TRIGGER remarketing_members_gone_on_refusal AFTER INSERT ON ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION remarketing_members_gone_on_refusal();
