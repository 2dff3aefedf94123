"""`python -m mlrails_monitoring_job`: one run from a shell, options named like the Lambda's
environment (each option defaults to its environment variable). Exit 0 after a run (findings
are metrics, not failures), 2 on bad input with one message and no traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime

import boto3

from mlrails_monitoring_job import job
from mlrails_monitoring_job.errors import JobInputError
from mlrails_monitoring_job.handler import ENVIRONMENT
from mlrails_monitoring_job.settings import settings_from


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlrails_monitoring_job")
    for key, variable in ENVIRONMENT.items():
        parser.add_argument(f"--{key.replace('_', '-')}", default=os.environ.get(variable))
    parser.add_argument("--end-time", help="analyse the hours before this ISO time (default now)")
    parser.add_argument("--endpoint-url", help="AWS endpoint URL (an emulator in tests)")
    args = parser.parse_args(argv)
    try:
        end = datetime.fromisoformat(args.end_time) if args.end_time else None
    except ValueError as error:
        print(f"mlrails-monitoring-job: --end-time {args.end_time!r}: {error}", file=sys.stderr)
        return 2
    try:
        settings = settings_from({key: getattr(args, key) for key in ENVIRONMENT})
        clients = [boto3.client(s, endpoint_url=args.endpoint_url) for s in ("s3", "cloudwatch")]
        report = job.run(settings, *clients, end)
    except JobInputError as error:
        print(f"mlrails-monitoring-job: {error}", file=sys.stderr)
        return 2
    keys = ("records", "drift", "attribution", "quality", "reports")
    print(json.dumps({k: report[k] for k in keys if k in report}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
