"""``teamsim explore``: serve the explorer on this computer only.

Runs ``solara run analysis.explorer.app --host 127.0.0.1 --production`` through the
classroom's launcher (:mod:`experiments.classroom.launch`: Solara's JavaScript and CSS
from the local asset cache, no CDN, telemetry off, Solara's state under a folder the user
owns). It prints the address first, compiles the engine if this version of the model
has not been compiled yet (about 9 s once, saying so), runs one small scenario so that
the page's first answer comes in a second, then waits until the page answers.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from typing import IO

from analysis.explorer.scenario import Choice, compare
from experiments.classroom.launch import (
    ClassroomError,
    address,
    prepare,
    run_until_stopped,
    serve,
    server_parser,
)

APP = "analysis.explorer.app"


def launch(port: int | None = None, output: IO | int | None = None,
           timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """Check, compile, start the server and wait until it answers; return it and the
    address."""
    port = prepare(port)
    compare(Choice(replicates=8))
    return serve(port, output=output, timeout=timeout, app=APP), address(port)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``teamsim explore [--port N] [--open] [--verbose]``."""
    parser = server_parser("teamsim explore",
                           "Serve the explorer ('what if we...?') on 127.0.0.1.")
    args = parser.parse_args(argv)
    try:
        port = prepare(args.port)
    except ClassroomError as err:
        print(f"teamsim explore: {err}", file=sys.stderr)
        return 2

    def start(out: IO | None) -> subprocess.Popen:
        compare(Choice(replicates=8))          # the page's first answer, loaded
        return serve(port, output=out, app=APP)

    return run_until_stopped("teamsim explore", port, "explorer.log", start, args.open,
                             args.verbose)


if __name__ == "__main__":
    raise SystemExit(main())
