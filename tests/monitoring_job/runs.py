"""Running the job against the moto server: the account's buckets, key and baseline (the
`account` fixture), capture and ground truth put where an endpoint and a
labelling process put them, the CLI run, and the metrics read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from mlrails_monitoring_job import metric_names as names
from mlrails_monitoring_job.__main__ import main
from tests.monitoring_job import data

RUN_TIME = datetime(2026, 11, 29, 12, 5, tzinfo=UTC)
WINDOW_HOUR = datetime(2026, 11, 29, 11, tzinfo=UTC)
ENDPOINT = "credit-risk"
MONITOR = "credit-risk-monitor"
NAMESPACE = "mlrails/ModelMonitoring"


@pytest.fixture
def account(aws):
    """Buckets for capture and monitoring, the monitoring key, and the training baseline."""
    s3 = aws("s3")
    for bucket in ("capture", "monitoring"):
        s3.create_bucket(Bucket=bucket)
    key_arn = aws("kms").create_key(Description="monitoring")["KeyMetadata"]["Arn"]
    baseline = data.sample(seed=1, n=600)
    s3.put_object(Bucket="monitoring", Key="baselines/train.csv", Body=data.baseline_csv(baseline))
    return {"s3": s3, "cloudwatch": aws("cloudwatch"), "key_arn": key_arn, "url": aws.url}


def put_capture(
    account, body: str, hour: datetime = WINDOW_HOUR, name: str = "a.jsonl", variant="AllTraffic"
) -> str:
    key = f"capture/{ENDPOINT}/{variant}/{data.hour_path(hour)}/{name}"
    account["s3"].put_object(Bucket="capture", Key=key, Body=body)
    return key


def put_ground_truth(account, body: str, hour: datetime = WINDOW_HOUR) -> None:
    key = f"ground-truth/{data.hour_path(hour)}/labels.jsonl"
    account["s3"].put_object(Bucket="monitoring", Key=key, Body=body)


def run_cli(account, capsys, **settings):
    options = {
        "endpoint-name": ENDPOINT,
        "monitor-name": MONITOR,
        "capture-s3-uri": "s3://capture/capture",
        "baseline-s3-uri": "s3://monitoring/baselines/train.csv",
        "report-s3-uri": "s3://monitoring/reports",
        "report-kms-key-arn": account["key_arn"],
        "metric-namespace": NAMESPACE,
    }
    extra = settings.pop("settings", None)
    options.update(settings)
    argv = [f"--{k}={v}" for k, v in options.items()]
    argv += [f"--end-time={RUN_TIME.isoformat()}", f"--endpoint-url={account['url']}"]
    if extra:
        argv.append(f"--settings={json.dumps(extra)}")
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def metric_value(account, name: str, **extra_dimensions: str) -> float | None:
    dimensions = [
        {"Name": names.ENDPOINT_DIMENSION, "Value": ENDPOINT},
        {"Name": names.MONITOR_DIMENSION, "Value": MONITOR},
    ] + [{"Name": k, "Value": v} for k, v in extra_dimensions.items()]
    result = account["cloudwatch"].get_metric_data(
        MetricDataQueries=[
            {
                "Id": "m",
                "MetricStat": {
                    "Metric": {
                        "Namespace": NAMESPACE,
                        "MetricName": name,
                        "Dimensions": dimensions,
                    },
                    "Period": 3600,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=RUN_TIME - timedelta(hours=2),
        EndTime=RUN_TIME + timedelta(hours=1),
    )["MetricDataResults"][0]["Values"]
    return result[0] if result else None
