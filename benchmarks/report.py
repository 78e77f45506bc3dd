"""Printing a benchmark's report: a JSON dict, or one aligned line per figure."""

from __future__ import annotations

import json


def print_report(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
        return
    for key, v in report.items():
        print(f"{key:55s} {v:.4g}" if isinstance(v, float) else f"{key:55s} {v}")
