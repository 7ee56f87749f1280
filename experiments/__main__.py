"""``python -m experiments`` = the ``teamsim`` command."""

from experiments.cli import main

raise SystemExit(main())
