"""The volume-anomaly rule on the Anonymous Bank fortnight (Technion SEE Center): no alarm on
its ordinary days, its one real evening surge flagged, injected surges flagged and named."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from relaydesk.domain.anomaly import Arrival
from relaydesk.sim.anomalies import Injection, alarm_time, scan, trace_arrivals
from relaydesk.sim.cli import main

WEEK_1 = (dt.date(1999, 2, 1), dt.date(1999, 2, 7))
WEEK_2 = (dt.date(1999, 2, 8), dt.date(1999, 2, 14))
# Sunday 14 February 1999, 21:10–22:25: about four times the Sunday evening before, in the data.
TRACE_SURGE = {dt.datetime(1999, 2, 14, 21), dt.datetime(1999, 2, 14, 22)}


@pytest.fixture(scope="module")
def bank(bank_trace_path: Path) -> list[Arrival]:
    return trace_arrivals(bank_trace_path)


def test_week_one_as_history_no_alarm_on_week_two_but_its_evening_surge(
    bank: list[Arrival],
) -> None:
    result = scan(bank, WEEK_1, WEEK_2)
    assert len(result.hours) == 7 * 24
    flagged = {j.hour_start for j in result.alarms}
    assert flagged == TRACE_SURGE
    first = result.alarms[0]
    assert alarm_time(first) == dt.datetime(1999, 2, 14, 21, 20)  # ten minutes into it
    assert first.partial and first.ratio >= 2.5 and first.z >= 6
    assert first.stand_out is not None and first.stand_out.value == "PS"  # the main queue


def test_week_two_as_history_no_alarm_at_all_on_week_one(bank: list[Arrival]) -> None:
    result = scan(bank, WEEK_2, WEEK_1)
    assert len(result.hours) == 7 * 24
    assert result.alarms == []


def test_an_injected_link_surge_in_a_busy_hour_is_flagged_and_the_link_named(
    bank: list[Arrival],
) -> None:
    surge = Injection(dt.datetime(1999, 2, 10, 10, 5), 150, 30, link="spring-sale")
    result = scan(bank, WEEK_1, WEEK_2, injection=surge)
    assert {j.hour_start for j in result.alarms} == TRACE_SURGE | {dt.datetime(1999, 2, 10, 10)}
    found = result.detection
    assert found is not None and 0 < found.delay_minutes <= 30
    assert found.judgement.stand_out is not None
    named = found.judgement.stand_out
    assert (named.dimension, named.value, named.usual) == ("link", "spring-sale", 0.0)


def test_an_injected_keyword_surge_in_a_quiet_hour_names_the_keyword(
    bank: list[Arrival],
) -> None:
    text = "你好，我的信用卡被冻结了，怎么办"
    surge = Injection(dt.datetime(1999, 2, 13, 20, 0), 40, 30, text=text)
    result = scan(bank, WEEK_1, WEEK_2, injection=surge)
    found = result.detection
    assert found is not None and found.delay_minutes <= 30
    named = found.judgement.stand_out
    assert named is not None and named.dimension == "keyword" and "信用卡" in named.value


def test_a_small_surge_in_a_busy_hour_is_not_far_enough_above_the_usual(
    bank: list[Arrival],
) -> None:
    surge = Injection(dt.datetime(1999, 2, 10, 10, 5), 30, 30, link="spring-sale")
    result = scan(bank, WEEK_1, WEEK_2, injection=surge)
    assert result.detection is None
    assert {j.hour_start for j in result.alarms} == TRACE_SURGE


def test_the_command_prints_the_alarms_with_the_data_acknowledgement(
    bank_trace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["anomalies", str(bank_trace_path), "--inject", "1999-02-10T10:05", "+150"]
    assert main([*argv, "--inject-link", "spring-sale"]) == 0
    out = capsys.readouterr().out
    assert "3 of 168 hours flagged" in out
    assert "link 'spring-sale'" in out and "min after it began" in out
    assert "Anonymous Bank call-center data, Technion SEE Center" in out


def test_the_command_judges_the_first_week_against_the_second(
    bank_trace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["anomalies", str(bank_trace_path), "--history-from", "1999-02-08"]
    assert main([*argv, "--from", "1999-02-01", "--to", "1999-02-07"]) == 0
    assert "0 of 168 hours flagged" in capsys.readouterr().out


def test_the_command_writes_json(bank_trace_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["anomalies", str(bank_trace_path), "--json", "--inject", "1999-02-13T20:00", "40"]
    assert main([*argv, "--inject-text", "card blocked again"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["history"] == ["1999-02-01", "1999-02-07"]
    assert doc["rule"]["min_ratio"] == 2.5 and doc["hours_judged"] == 168
    assert doc["data_acknowledgement"] == "Anonymous Bank call-center data, Technion SEE Center"
    injected = doc["injected"]
    assert injected["delay_minutes"] is not None
    assert injected["named"][0]["dimension"] == "keyword"
    assert injected["named"][0]["value"] in {"card", "blocked", "again"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--inject", "yesterday", "10"], "not a date-time"),
        (["--inject", "1999-02-10T10:00", "-3"], "whole number"),
        (["--inject", "1999-02-03T10:00", "10"], "not a judged day"),
        (["--from", "1999-02-03"], "overlap the history"),
    ],
)
def test_bad_options_are_one_sentence_and_exit_code_2(
    bank_trace_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["anomalies", str(bank_trace_path), *extra])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
