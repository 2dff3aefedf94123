"""Report formats of `mlrails preview` (and `mlrails audit`)."""

from __future__ import annotations

import json

from mlrails.report.model import Report


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"
    if fmt == "markdown":
        from mlrails.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "sarif":
        from mlrails.report.sarif import render_sarif

        return render_sarif(report)
    if fmt == "junit":
        from mlrails.report.junit import render_junit

        return render_junit(report)
    if fmt == "text":
        from mlrails.report.text import render_text

        return render_text(report)
    raise ValueError(f"unknown format {fmt!r}")
