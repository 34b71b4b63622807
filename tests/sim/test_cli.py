"""``relaydesk-sim`` as a manager runs it: tables, JSON, plots, staffing, and clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relaydesk.sim.cli import main

CSV_HEADER = "arrival,contact_id,priority,skill,language,service_s,patience_s,agent\n"
REQUIRED_KEYS = {
    "contacts",
    "served",
    "abandon_rate",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p95_s",
    "wait_p95_by_priority",
    "service_level_20s",
    "max_agent_share",
    "load_cv",
    "sticky_rate",
    "handoffs",
}


def _small_trace(tmp_path: Path) -> Path:
    rows = []
    for i in range(40):
        minute = 9 * 60 + i * 2
        stamp = f"2024-03-04T{minute // 60:02d}:{minute % 60:02d}:00"
        agent = ("ann", "bob")[i % 2] if i < 4 else ""
        patience = "" if i % 5 else "60"
        rows.append(f"{stamp},c{i % 9},{i % 3},,,{200 + 10 * (i % 4)},{patience},{agent}")
    path = tmp_path / "trace.csv"
    path.write_text(CSV_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_compare_prints_a_table_and_writes_the_json_and_the_plot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plot = tmp_path / "out.json", tmp_path / "waits.png"
    trace = str(_small_trace(tmp_path))
    policies = "load_aware,fifo_pooled,per_agent_split"
    options = ["--agents", "2", "--quiet", "--json", str(out), "--plot", str(plot)]
    code = main(["compare", trace, "--policies", policies, *options])
    assert code == 0
    printed = capsys.readouterr().out
    assert "load_aware" in printed and "per_agent_split" in printed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["policies"]) == {"load_aware", "fifo_pooled", "per_agent_split"}
    for figures in doc["policies"].values():
        assert REQUIRED_KEYS <= set(figures)
        assert figures["contacts"] == 40
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_replay_one_policy(tmp_path: Path) -> None:
    out = tmp_path / "one.json"
    trace = str(_small_trace(tmp_path))
    assert main(["replay", trace, "--policy", "round_robin", "--quiet", "--json", str(out)]) == 0
    assert list(json.loads(out.read_text(encoding="utf-8"))["policies"]) == ["round_robin"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (CSV_HEADER + "yesterday,c1,0,,,100,,\n", "line 2"),
        ("arrival,contact_id\n2024-03-04T09:00:00,c1\n", "priority"),
        ("", "empty"),
    ],
)
def test_bad_trace_is_one_sentence_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", str(path), "--quiet"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_unknown_policy_and_missing_file_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(_small_trace(tmp_path)), "--policies", "load_aware,fastest"])
    assert exit_info.value.code == 2
    assert "fastest" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", str(tmp_path / "nowhere.tsv")])
    assert exit_info.value.code == 2
    assert "nowhere.tsv" in capsys.readouterr().err


def test_staffing_answers_the_textbook_erlang_c_case(capsys: pytest.CaptureFixture[str]) -> None:
    # 100 contacts per 30 min, 180 s handle time, 80 % within 20 s, 30 % shrinkage.
    args = ["staffing", "--arrivals-per-hour", "200", "--aht-s", "180", "--target-s", "20"]
    assert main([*args, "--service-level", "0.8", "--shrinkage", "0.3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["agents"] == 14
    assert doc["scheduled"] == 20
    assert doc["service_level"] == pytest.approx(0.888, abs=0.001)
    assert {"occupancy", "p_wait"} <= set(doc)


def test_staffing_refuses_an_impossible_target(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["staffing", "--arrivals-per-hour", "200", "--aht-s", "180", "--target-s", "20"]
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--service-level", "1.5"])
    assert exit_info.value.code == 2
    assert "service" in capsys.readouterr().err.lower()


@pytest.mark.slow
def test_bank_fortnight_load_aware_matches_the_pool_and_beats_per_agent_queues(
    bank_trace_path: Path, tmp_path: Path
) -> None:
    """The issue's expectation on 1–14 February with the trace-hourly roster."""
    out = tmp_path / "bank.json"
    policies = "load_aware,fifo_pooled,per_agent_split"
    options = ["--policies", policies, "--quiet", "--json", str(out)]
    assert main(["compare", str(bank_trace_path), *options]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))["policies"]
    aware, pooled, split = (figures[p] for p in policies.split(","))
    assert abs(aware["wait_mean_s"] - pooled["wait_mean_s"]) <= 0.1 * pooled["wait_mean_s"]
    assert aware["wait_mean_s"] <= split["wait_mean_s"] / 10
    assert aware["wait_p95_by_priority"]["2"] <= pooled["wait_p95_by_priority"]["2"]
    assert aware["sticky_rate"] > pooled["sticky_rate"]
