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


def _weekday_trace(tmp_path: Path, days: tuple[str, ...] = ("2024-03-04", "2024-03-11")) -> Path:
    """By default two Mondays (4 and 11 March 2024) and a Sunday between: 09:00 busy, 10:00 quiet.

    On each of ``days`` 60 contacts arrive from 09:00 and 6 from 10:00, all served by ann alone.
    """
    rows = []
    for day in days:
        for i in range(60):
            rows.append(f"{day}T09:{i:02d}:00,m{day}{i},1,,,300,,ann")
        for i in range(6):
            rows.append(f"{day}T10:{i * 10:02d}:00,q{day}{i},1,,,300,,ann")
    if len(days) == 2 and days[1] == "2024-03-11":
        rows.append("2024-03-10T12:00:00,sunday,1,,,300,,bob")
    rows.sort()
    path = tmp_path / "weekdays.csv"
    path.write_text(CSV_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_forecast_gives_the_next_day_per_hour_from_the_same_weekday(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Monday 4 to Monday 11 March: the forecast is for Tuesday 12 March, and the one Tuesday
    # covered (5 March) had no contacts.
    assert main(["forecast", str(_weekday_trace(tmp_path)), "--json"]) == 0
    tuesday = json.loads(capsys.readouterr().out)
    assert tuesday["day"] == "2024-03-12" and tuesday["weekday"] == "Tuesday"
    assert {h["basis"] for h in tuesday["hours"]} == {"weekday"}
    assert tuesday["total_arrivals"] == 0

    # Monday 4 and Tuesday 5 March, both busy: no Wednesday in the trace, so each hour of
    # Wednesday 6 March is the mean over the 2 covered days.
    two_days = _weekday_trace(tmp_path, ("2024-03-04", "2024-03-05"))
    assert main(["forecast", str(two_days), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["day"] == "2024-03-06"
    assert doc["aht_s"] == pytest.approx(300.0)
    hours = doc["hours"]
    assert len(hours) == 24
    nine = hours[9]
    assert nine["basis"] == "all_days" and nine["days"] == 2
    assert nine["arrivals"] == pytest.approx(60.0)
    assert hours[3]["arrivals"] == 0 and hours[3]["agents"] == 0
    # 60 contacts an hour of 300 s is 5 Erlangs: Erlang C needs more than 5 agents.
    assert nine["agents"] > 5
    assert doc["total_arrivals"] == pytest.approx(66.0)


def test_forecast_warns_where_the_usual_rota_is_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Shift the trace a week so it ends on Sunday: the forecast day is a Monday, which the trace
    # has twice, and on Mondays only ann is at work while 09:00 needs several agents.
    trace = _weekday_trace(tmp_path)
    lines = trace.read_text(encoding="utf-8").splitlines()
    lines.append("2024-03-17T12:00:00,late-sunday,1,,,300,,bob")
    trace.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["forecast", str(trace), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["day"] == "2024-03-18" and doc["weekday"] == "Monday"
    nine = doc["hours"][9]
    assert nine["basis"] == "weekday" and nine["days"] == 2
    assert nine["arrivals"] == pytest.approx(60.0)
    assert nine["usual_on_duty"] == pytest.approx(1.0)
    assert nine["short_by"] == nine["scheduled"] - 1 > 0
    assert doc["hours"][3]["short_by"] == 0

    assert main(["forecast", str(trace)]) == 0
    text = capsys.readouterr().out
    assert "Monday 2024-03-18" in text
    assert "warning: the usual rota is short" in text and "09:00" in text


def test_forecast_refuses_an_unreadable_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(CSV_HEADER, encoding="utf-8")
    for path in (empty, tmp_path / "nowhere.csv"):
        with pytest.raises(SystemExit) as exit_info:
            main(["forecast", str(path)])
        assert exit_info.value.code == 2
        assert path.name in capsys.readouterr().err


def test_an_unknown_shift_end_is_refused(
    bank_trace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["replay", str(bank_trace_path), "--shift-end", "stay"])
    assert exit_info.value.code == 2
    assert "--shift-end" in capsys.readouterr().err


@pytest.mark.slow
def test_bank_fortnight_shift_ends_hand_over_what_leavers_hold(
    bank_trace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1–14 February (Anonymous Bank call-center data, Technion SEE Center), trace-hourly
    roster: by default a leaver finishes their call; with ``handover`` the calls in progress
    at an agent's last hour move to colleagues on duty, or wait in the queue for the next one,
    and the colleagues' extra work shows in everyone's waits."""
    docs = {}
    for choice in ("finish", "handover"):
        out = tmp_path / f"{choice}.json"
        args = ["replay", str(bank_trace_path), "--quiet", "--json", str(out)]
        assert main([*args, "--shift-end", choice]) == 0
        docs[choice] = json.loads(out.read_text(encoding="utf-8"))
    printed = capsys.readouterr().out
    finish, handover = (docs[c]["policies"]["load_aware"] for c in ("finish", "handover"))
    assert docs["handover"]["settings"]["shift_end"] == "handover"
    assert finish["handoffs"] == 0 and "shift_end" not in docs["finish"]
    moved = docs["handover"]["shift_end"]["load_aware"]
    assert handover["handoffs"] == moved["handovers"] >= moved["handed_over"] > 0
    assert 0 < moved["requeued"] < moved["handed_over"]  # most find a colleague free
    assert 0 <= moved["still_requeued_at_end"] < moved["requeued"]
    # Queued at the day's last shift end, a call waits for the next morning's agents.
    assert moved["rewait_p95_s"] >= 6 * 3600 > moved["rewait_p50_s"]
    assert handover["wait_mean_s"] > finish["wait_mean_s"]
    assert handover["contacts"] == finish["contacts"]
    assert f"{moved['handed_over']} conversations ({moved['handovers']} moves)" in printed
    assert "Anonymous Bank call-center data, Technion SEE Center" in printed
