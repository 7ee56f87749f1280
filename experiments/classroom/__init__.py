"""The classroom: one team, week by week, in the browser (``teamsim classroom``).

Presentation only; the model is :mod:`sim`. ``launch`` serves the page, ``app`` is the
page, ``team`` the model it shows, ``levers`` its settings, ``figures`` its drawings,
``structure`` who works with whom, ``narration`` tells a week in plain words, ``replay``
reopens a run of a study, ``guide`` is the guide the page carries.
"""

from experiments.classroom.launch import main

__all__ = ["main"]
