-- A counter that every change of the product catalogue moves, in the writer's own transaction,
-- whichever process writes: the decision records cache (decision-records-cache.ts) keeps the
-- products in memory and reads them again when the counter moved, instead of reading the product
-- asked about with every decision.
CREATE TABLE catalogue_version (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  version INTEGER NOT NULL
);
INSERT INTO catalogue_version (one, version) VALUES (1, 0);
CREATE TRIGGER catalogue_version_on_insert AFTER INSERT ON products
BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER catalogue_version_on_update AFTER UPDATE ON products
BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER catalogue_version_on_delete AFTER DELETE ON products
BEGIN UPDATE catalogue_version SET version = version + 1; END;
