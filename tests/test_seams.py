"""`clipper cut --details`: frames re-encoded at each seam, measured from the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run
from media import SourceSpec
from test_smart_plan import cut, index

from clipper.cutting.clip import plan_mode
from clipper.cutting.modes import CutMode
from clipper.cutting.seams import SeamCost, seam_cost, seam_lines
from clipper.cutting.smart import plan_smart
from clipper.ranges.read import parse_ranges


def test_seam_costs_split_a_piece_at_its_copied_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIPPER_LANG", "en")
    idx = index(500, 25)
    plan = plan_smart(
        cut("0:00.5 - 0:15.3\n0:16.1 - 0:16.5", idx), [idx, idx], requested=CutMode.smart
    )
    assert [seam_cost(p) for p in plan.pieces] == [SeamCost(12, 357, 1), SeamCost(10, 0, 0)]
    assert seam_lines(plan)[-1] == "23 of 380 frames re-encoded"


def test_cut_details_prints_every_seam(
    source_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIPPER_LANG", "en")
    source = source_factory(SourceSpec(seconds=6.0, gop=25, sample_rate=32000))
    ranges = "0:00.5 - 0:03.3\n0:03.4 - 0:03.9\n"
    (tmp_path / "r.txt").write_text(ranges)
    out = tmp_path / "c.mp4"
    result = run("cut", source, "-r", tmp_path / "r.txt", "-o", out, "--details", "--dry-run")
    assert result.exit_code == 0, result.output
    plan = plan_mode(source, parse_ranges(ranges))
    costs = [seam_cost(p) for p in plan.pieces]
    assert costs[1] == SeamCost(plan.pieces[1].piece.frames, 0, 0)
    for number, cost in enumerate(costs, start=1):
        assert (
            f"piece {number}: {cost.start_encoded} frames re-encoded at the start, "
            f"{cost.copied} copied, {cost.end_encoded} re-encoded at the end"
        ) in result.output
    assert f"{plan.frames_encoded} of {plan.frames} frames re-encoded" in result.output
    assert not out.exists()
