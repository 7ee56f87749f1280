"""The classroom: one team, week by week, in the browser (``teamsim classroom``).

Presentation only; the model is :mod:`sim`. ``launch`` serves the page, ``app`` is the
page, ``narration`` tells a week in plain words, ``replay`` reopens a run of a study.
"""

from experiments.classroom.launch import main

__all__ = ["main"]
