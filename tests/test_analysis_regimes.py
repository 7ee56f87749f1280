"""The authority-regimes table and figure (analysis.regimes) on a small hand-made study."""

from __future__ import annotations

import numpy as np
import pandas as pd
from test_analysis_load import write_study

from analysis.regimes import DIALOGUE, EBES, GRANT, figure, main, regimes


def test_shares_of_decayed_and_runaway_teams_per_cell():
    rows = []
    for grant in (0.0, 1.0):
        for dialogue in (0.0, 0.8):
            authority = [0.1, 0.15, 0.5, 0.9] if grant == 0.0 else [0.85, 0.95, 0.9, 0.3]
            rows += [{EBES: 1, DIALOGUE: dialogue, GRANT: grant, "authority": a,
                      "feedback_given_to_ebe": 10 * (1 - a), "irritation_cross": 0.1 + dialogue}
                     for a in authority]
    table = regimes(pd.DataFrame(rows))
    low = table[table[GRANT] == 0.0].iloc[0]
    high = table[table[GRANT] == 1.0].iloc[0]
    assert (low.decayed, low.ran_away, low.teams) == (0.5, 0.25, 4)
    assert (high.decayed, high.ran_away) == (0.0, 0.75)
    np.testing.assert_allclose(low.authority, np.mean([0.1, 0.15, 0.5, 0.9]))
    fig = figure(table)
    assert len(fig.axes) == 4            # two panels and two colour bars
    assert fig.axes[0].get_title() == "1 EBE"


def test_a_study_of_another_question_is_refused_in_one_line(tmp_path, capsys):
    study = write_study(tmp_path, "hire_more_than_one", [("hires", ["ebe.count=1"])], 3,
                        swept=["ebe.count"])
    assert main([str(study)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert DIALOGUE in err and "experiment=authority_regimes" in err
    assert not (study / "regimes.csv").exists()
