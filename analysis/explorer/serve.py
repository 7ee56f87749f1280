"""``teamsim explore``: serve the explorer on this computer only.

Starts ``solara run analysis.explorer.app --host 127.0.0.1 --port <port> --production``
with Solara's JavaScript and CSS from the local asset cache (no CDN), telemetry off and
Solara's state under a folder the user owns (the classroom's launcher settings), waits
until the page answers and prints its address first. Before that it runs one small
scenario, so that the engine's compiled code is on disk (the first start after installing
or changing the model compiles it) and the page's first answer comes in a second.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import webbrowser
from collections.abc import Sequence
from typing import IO

from analysis.explorer.scenario import Choice, compare
from experiments.classroom import (
    HOST,
    ClassroomError,
    asset_dir,
    check_port,
    free_port,
    server_env,
    stop,
    wait_until_up,
)

APP = "analysis.explorer.app"


def launch(port: int | None = None, output: IO | int | None = None,
           timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """Start the server and wait until it answers; return the process and the address."""
    port = free_port() if port is None else check_port(port)
    asset_dir()
    compare(Choice(replicates=8))                   # compile the engine once, to disk
    command = [sys.executable, "-m", "solara", "run", APP, "--host", HOST, "--port",
               str(port), "--production", "--no-open"]
    server = subprocess.Popen(command, env=server_env(), stdout=output,
                              stderr=subprocess.STDOUT if output is not None else None)
    url = f"http://{HOST}:{port}/"
    try:
        wait_until_up(url, server, timeout)
    except BaseException:
        stop(server)
        raise
    return server, url


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``teamsim explore [--port N] [--open]``."""
    parser = argparse.ArgumentParser(
        prog="teamsim explore",
        description="Serve the explorer ('what if we...?') on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=None,
                        help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--open", action="store_true", help="open it in the default browser")
    args = parser.parse_args(argv)
    try:
        server, url = launch(args.port, output=subprocess.DEVNULL)
    except ClassroomError as err:
        print(f"teamsim explore: {err}", file=sys.stderr)
        return 2
    print(f"teamsim explore: open {url} in a browser (Ctrl-C to stop)", flush=True)
    if args.open:
        webbrowser.open(url)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(server)
    return server.returncode


def interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C, so the server is stopped with us."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
