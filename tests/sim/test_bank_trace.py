"""Reading the Anonymous Bank format: arrivals at the agent pool, patience, quirks, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from relaydesk.sim.trace import TraceError, as_date, read_trace

HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "calls.tsv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _row(
    call_id: str,
    *,
    customer: str = "0",
    priority: str = "1",
    kind: str = "PS",
    date: str = "990201",
    vru_entry: str = "9:00:00",
    vru_exit: str = "9:00:10",
    q_start: str = "0:00:00",
    q_exit: str = "0:00:00",
    q_time: str = "0",
    outcome: str = "AGENT",
    ser_start: str = "9:00:10",
    ser_exit: str = "9:02:10",
    ser_time: str = "120",
    server: str = "DORIT",
) -> str:
    return "\t".join(
        [
            "AA0101",
            call_id,
            customer,
            priority,
            kind,
            date,
            vru_entry,
            vru_exit,
            "10",
            q_start,
            q_exit,
            q_time,
            outcome,
            ser_start,
            ser_exit,
            ser_time,
            server,
        ]
    )


def test_arrival_is_queue_start_or_voice_menu_exit(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row("1"),
        _row("2", q_start="9:05:00", q_exit="9:06:00", q_time="60", ser_start="9:06:00"),
    )
    direct, queued = read_trace(path).contacts
    assert dt.datetime.fromtimestamp(direct.arrival, dt.UTC).time() == dt.time(9, 0, 10)
    assert dt.datetime.fromtimestamp(queued.arrival, dt.UTC).time() == dt.time(9, 5, 0)
    # 1 February 1999 was a Monday: the clock keeps the trace's own weekdays.
    assert as_date(direct.arrival).weekday() == 0
    assert direct.service_s == 120
    assert direct.agent_id == "DORIT"
    assert direct.patience_s is None


def test_hang_up_waits_what_the_trace_shows_and_phantoms_are_ignored(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row("1", kind="NW", ser_time="100"),
        _row("2", kind="NW", ser_time="300"),
        _row(
            "3",
            kind="NW",
            q_start="9:10:00",
            q_exit="9:10:45",
            q_time="45",
            outcome="HANG",
            ser_start="0:00:00",
            ser_exit="0:00:00",
            ser_time="0",
            server="NO_SERVER",
        ),
        _row("4", outcome="PHANTOM", server="NO_SERVER"),
        _row(
            "5",
            outcome="HANG",
            ser_start="0:00:00",
            ser_exit="0:00:00",
            ser_time="0",
            server="NO_SERVER",
        ),
    )
    trace = read_trace(path)
    assert [c.id for c in trace.contacts] == ["AA0101/1", "AA0101/2", "AA0101/3"]
    hang = trace.contacts[2]
    assert hang.patience_s == 45
    assert hang.agent_id is None
    # Answered in a replay, the caller needs the mean service time of their queue.
    assert hang.service_s == 200
    assert trace.skipped == {"phantom": 1, "hung up in the voice menu": 1}


def test_served_row_without_service_time_or_agent_is_still_a_contact(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row("1", ser_time="90"),
        _row("2", ser_start="0:00:00", ser_exit="0:00:00", ser_time="0"),
        _row("3", ser_time="8", server="NO_SERVER"),
    )
    _, no_time, no_agent = read_trace(path).contacts
    assert no_time.service_s == pytest.approx((90 + 8) / 2)
    assert no_time.agent_id == "DORIT"
    assert no_agent.agent_id is None
    assert no_agent.service_s == 8


def test_calls_crossing_midnight_land_on_the_next_day(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _row(
            "1",
            vru_entry="23:59:55",
            vru_exit="0:00:05",
            ser_start="0:00:05",
            ser_exit="0:03:05",
            ser_time="180",
        ),
    )
    (call,) = read_trace(path).contacts
    assert as_date(call.arrival) == dt.date(1999, 2, 2)
    assert call.service_start == call.arrival


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([_row("1", vru_exit="9:61:00")], "line 2: vru_exit '9:61:00' is not a time"),
        ([_row("1"), _row("2", date="99-02-01")], "line 3: date '99-02-01' is not a date"),
        ([_row("1", priority="high")], "line 2: priority 'high' is not a whole number"),
        ([_row("1", outcome="BUSY")], "line 2: outcome 'BUSY'"),
        ([], "is empty"),
    ],
)
def test_bad_rows_are_named_by_line(tmp_path: Path, rows: list[str], expected: str) -> None:
    path = _write(tmp_path, *rows) if rows else tmp_path / "calls.tsv"
    if not rows:
        path.write_text("", encoding="utf-8")
    with pytest.raises(TraceError, match=expected):
        read_trace(path)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "calls.tsv"
    header = HEADER.replace("\tser_time", "")
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(TraceError, match=r"line 1: missing column.*ser_time"):
        read_trace(path)


def test_shipped_trace_reads_into_two_weeks_of_contacts(bank_trace_path: Path) -> None:
    trace = read_trace(bank_trace_path)
    days = {as_date(c.arrival) for c in trace.contacts}
    assert min(days) == dt.date(1999, 2, 1)
    assert max(days) <= dt.date(1999, 2, 15)  # a call after 23:59 on the 14th may end on the 15th
    arrivals = [c.arrival for c in trace.contacts]
    assert arrivals == sorted(arrivals)
    assert len({c.id for c in trace.contacts}) == len(trace.contacts)
    assert all(c.service_s > 0 for c in trace.contacts)
    assert trace.skipped["phantom"] > 0
    one_day = trace.between(dt.date(1999, 2, 3), dt.date(1999, 2, 3))
    assert {as_date(c.arrival) for c in one_day.contacts} == {dt.date(1999, 2, 3)}
