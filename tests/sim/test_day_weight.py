"""``relaydesk-sim --day-weight``: the load model's day term on a replay, on or off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relaydesk.sim.cli import main


def _compare(trace: Path, out: Path, *options: str) -> dict[str, float]:
    args = ["compare", str(trace), "--policies", "load_aware", "--quiet", "--json", str(out)]
    assert main([*args, *options]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    return {"day_weight": doc["settings"]["day_weight"], **doc["policies"]["load_aware"]}


def test_a_negative_day_weight_is_refused(
    bank_trace_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(bank_trace_path), "--policies", "load_aware", "--day-weight", "-1"])
    assert exit_info.value.code == 2
    assert "--day-weight" in capsys.readouterr().err


@pytest.mark.slow
def test_the_day_term_spreads_the_bank_fortnight_without_longer_waits(
    bank_trace_path: Path, tmp_path: Path
) -> None:
    """On 1–14 February (Anonymous Bank call-center data, Technion SEE Center): the busiest
    agent's share and the spread of busy time fall, the mean wait stays within 2 %."""
    on = _compare(bank_trace_path, tmp_path / "on.json")
    off = _compare(bank_trace_path, tmp_path / "off.json", "--day-weight", "0")
    assert (on["day_weight"], off["day_weight"]) == (1.0, 0.0)
    assert on["max_agent_share"] < off["max_agent_share"]
    assert on["load_cv"] < off["load_cv"]
    assert abs(on["wait_mean_s"] - off["wait_mean_s"]) <= 0.02 * off["wait_mean_s"]
    assert on["service_level_20s"] >= off["service_level_20s"] - 0.005
