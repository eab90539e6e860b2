-- Purchase predictions (docs/segments-and-predictions.md, "Predictions"): trained models with their
-- training window, features, coefficients and the ROC AUC and calibration measured on the held-out
-- period; and each model's scores, written only for customers who may be profiled (compliance.md §2
-- rule 7). An objection to direct marketing or to profiling deletes the person's scores in the same
-- transaction as the ledger row that records it.
CREATE TABLE prediction_models (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('propensity', 'churn')),
  category TEXT,                       -- propensity: the product category; churn: null (any) or one
  horizon_days INTEGER NOT NULL CHECK (horizon_days > 0),
  as_of TEXT NOT NULL,                 -- nothing recorded or started after this was read
  trained_at TEXT NOT NULL,
  features TEXT NOT NULL,              -- JSON: the feature names, in coefficient order
  model TEXT NOT NULL,                 -- JSON: standardisation and coefficients
  auc REAL,                            -- held-out ROC AUC; null when the period had one class only
  calibration TEXT NOT NULL,           -- JSON: deciles of the held-out period, predicted vs observed
  trained_on INTEGER NOT NULL,
  evaluated_on INTEGER NOT NULL,
  windows TEXT NOT NULL,               -- JSON: the training and held-out windows
  scored_at TEXT,                      -- when the scores were last written
  scored_state TEXT                    -- JSON: what the scores were computed from (staleness check)
);

CREATE TABLE prediction_scores (
  model_id INTEGER NOT NULL REFERENCES prediction_models (id),
  customer_id TEXT NOT NULL,
  score REAL NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (model_id, customer_id)
);
CREATE INDEX prediction_scores_by_customer ON prediction_scores (customer_id);

CREATE TRIGGER prediction_scores_end_with_objection AFTER INSERT ON ledger
WHEN NEW.kind = 'objection' AND NEW.value = 'objected' AND NEW.purpose IN ('direct_marketing', 'profiling')
BEGIN
  DELETE FROM prediction_scores WHERE customer_id = NEW.customer_id;
END;
