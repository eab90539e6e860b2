-- Purchase predictions (docs/segments-and-predictions.md, "Predictions"): trained models with their
-- training window, features, coefficients and the ROC AUC and calibration measured on the held-out
-- period; and each model's scores, written only for customers who may be profiled (compliance.md §2
-- rule 7). An objection to direct marketing or to profiling deletes the person's scores in the same
-- transaction as the ledger row that records it.
CREATE TABLE prediction_models (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('propensity', 'churn')),
  category TEXT,
  horizon_days INTEGER NOT NULL CHECK (horizon_days > 0),
  as_of TIMESTAMPTZ NOT NULL,
  trained_at TIMESTAMPTZ NOT NULL,
  features JSONB NOT NULL,
  model JSONB NOT NULL,
  auc DOUBLE PRECISION,
  calibration JSONB NOT NULL,
  trained_on INTEGER NOT NULL,
  evaluated_on INTEGER NOT NULL,
  windows JSONB NOT NULL,
  scored_at TIMESTAMPTZ,
  scored_state JSONB
);

CREATE TABLE prediction_scores (
  model_id BIGINT NOT NULL REFERENCES prediction_models (id),
  customer_id TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  computed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (model_id, customer_id)
);
CREATE INDEX prediction_scores_by_customer ON prediction_scores (customer_id);

CREATE FUNCTION lupa_prediction_scores_end_with_objection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM prediction_scores WHERE customer_id = NEW.customer_id;
  RETURN NULL;
END $$;
CREATE TRIGGER prediction_scores_end_with_objection AFTER INSERT ON ledger
  FOR EACH ROW
  WHEN (NEW.kind = 'objection' AND NEW.value = 'objected' AND NEW.purpose IN ('direct_marketing', 'profiling'))
  EXECUTE FUNCTION lupa_prediction_scores_end_with_objection();
