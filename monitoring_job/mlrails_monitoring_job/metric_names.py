"""The CloudWatch metrics the job publishes: one definition for the job and the component that
alarms on them. Plain constants, so the component imports them without pandas or Evidently."""

DEFAULT_NAMESPACE = "mlrails/ModelMonitoring"

ENDPOINT_DIMENSION = "EndpointName"
MONITOR_DIMENSION = "MonitorName"
FEATURE_DIMENSION = "Feature"
SEGMENT_DIMENSION = "Segment"

# Per run, dimensions EndpointName + MonitorName.
CAPTURED_RECORDS = "CapturedRecords"
DATASET_DRIFT = "DatasetDrift"  # 1 when the share of drifted features reaches drift_share
DRIFTED_FEATURE_SHARE = "DriftedFeatureShare"
GROUND_TRUTH_MATCHED = "GroundTruthMatched"
MODEL_QUALITY_DEGRADATION = "ModelQualityDegradation"  # baseline quality minus window quality
MODEL_QUALITY_VIOLATION = "ModelQualityViolation"  # 1 when degradation > the allowed one
BIAS_VIOLATION = "BiasViolation"  # 1 when a segment's quality gap > segment_gap_threshold
# NDCG of the window's feature-attribution ranking against the baseline's (attribution.py),
# and 1 when it is below attribution_ndcg_threshold. Not published for windows too small to rank.
FEATURE_ATTRIBUTION_NDCG = "FeatureAttributionNDCG"
FEATURE_ATTRIBUTION_DRIFT = "FeatureAttributionDrift"
# Per feature, dimensions EndpointName + MonitorName + Feature.
FEATURE_DRIFT_SCORE = "FeatureDriftScore"
FEATURE_DRIFT = "FeatureDrift"  # 1 when the feature's drift test fails at its threshold
# Per segment, dimensions EndpointName + MonitorName + Segment ("column=value").
SEGMENT_QUALITY_GAP = "SegmentQualityGap"

# The 0/1 findings the component alarms on (threshold >= 1).
FINDINGS = (DATASET_DRIFT, FEATURE_ATTRIBUTION_DRIFT, MODEL_QUALITY_VIOLATION, BIAS_VIOLATION)
