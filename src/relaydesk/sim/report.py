"""How replay figures are shown: a table for the terminal and a JSON document for tools."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from relaydesk.sim.metrics import Metrics

ACKNOWLEDGEMENT = "Anonymous Bank call-center data, Technion SEE Center"


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f}s" if seconds < 600 else f"{seconds / 60:.0f}m"


def table(rows: Sequence[Metrics]) -> str:
    """A fixed-width table, one row per policy, with the figures managers compare."""
    priorities = sorted({p for m in rows for p in m.wait_p95_by_priority}, key=int)
    headers = [
        "policy",
        "contacts",
        "served",
        "abandon",
        "wait mean",
        "p50",
        "p95",
        *(f"p95 prio {p}" for p in priorities),
        "SL 20s",
        "max share",
        "load cv",
        "sticky",
        "handoffs",
    ]
    body = [
        [
            m.policy,
            str(m.contacts),
            str(m.served),
            f"{m.abandon_rate:.1%}",
            f"{m.wait_mean_s:.1f}s",
            _minutes(m.wait_p50_s),
            _minutes(m.wait_p95_s),
            *(_minutes(m.wait_p95_by_priority.get(p, 0.0)) for p in priorities),
            f"{m.service_level_20s:.1%}",
            f"{m.max_agent_share:.2f}",
            f"{m.load_cv:.2f}",
            f"{m.sticky_rate:.1%}",
            str(m.handoffs),
        ]
        for m in rows
    ]
    widths = [max(len(r[i]) for r in [headers, *body]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in body)])


def document(
    trace_path: str,
    settings: Mapping[str, object],
    skipped: Mapping[str, int],
    rows: Sequence[Metrics],
) -> dict[str, object]:
    """The JSON report: settings, what the reader skipped, and the figures keyed by policy."""
    return {
        "trace": trace_path,
        "data_acknowledgement": ACKNOWLEDGEMENT if "anonymous-bank" in trace_path else None,
        "settings": dict(settings),
        "skipped_rows": dict(skipped),
        "policies": {m.policy: m.to_document() for m in rows},
    }


def write_json(path: Path, doc: Mapping[str, object]) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
