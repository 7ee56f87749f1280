"""``teamsim classroom``: serve the classroom view on this computer only.

Checks the port, Solara's local assets and any run to replay, prints the address,
compiles the engine if this version of the model has not been compiled yet (saying so,
so the first page does not wait for it), then starts ``solara run
experiments.classroom.app --host 127.0.0.1 --port <port> --production`` with Solara's
JavaScript and CSS served from the local asset cache (package ``solara-assets``, no
CDN), telemetry off, Solara's state and the server's log under a folder the user owns,
and says when the page is ready. ``--open`` opens it in the default browser; ``--replay
STUDY_DIR POINT REPLICATE`` opens one run of a finished study instead of the default
team.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from experiments.classroom.replay import REPLAY_ENV, study_run
from sim.jit import cache_dir
from sim.simulate import ensure_compiled

HOST = "127.0.0.1"
APP = "experiments.classroom.app"
#: Solara warns on every start that a cookie cannot be SameSite=None over plain http; on
#: 127.0.0.1 that is expected, and the fallback (SameSite=Lax) is what a local page needs.
QUIET = "ignore:Cookies with samesite=none:UserWarning"


class ClassroomError(RuntimeError):
    """The classroom server cannot start; the message says why and what to do."""


def free_port() -> int:
    """A port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def check_port(port: int) -> int:
    """``port`` if it is in 1..65535 and free on 127.0.0.1."""
    if not 1 <= port <= 65535:
        raise ClassroomError(f"--port = {port} is out of range: allowed 1 .. 65535")
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds:
        try:                                 # a port left in TIME_WAIT by the last run is free
            sock.bind((HOST, port))
        except OSError:
            raise ClassroomError(f"--port = {port} is in use on {HOST}: choose another "
                                 "or leave --port out for a free one") from None
    return port


def asset_dir() -> Path:
    """Where Solara finds its JavaScript/CSS; checked to hold the page's bundle."""
    cache = Path(os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR",
                                Path(sys.prefix) / "share" / "solara" / "cdn"))
    if not any((cache / "@widgetti").glob("solara-vuetify-app@*")):  # the page's bundle
        raise ClassroomError(f"Solara's page assets are not in {cache}: install them with "
                             "`pip install solara-assets==1.58.2` (a teamsim dependency) or "
                             "set SOLARA_ASSETS_PROXY_CACHE_DIR; the page must not fetch "
                             "from the internet")
    return cache


def solara_home() -> Path:
    """``$SOLARA_HOME``, else ``solara/`` in teamsim's cache folder, beside the compiled
    engine (``$TEAMSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/teamsim``, ``~/.cache/...``);
    made if it is missing (the server's log is written there before the server starts)."""
    home = Path(os.environ["SOLARA_HOME"]) if "SOLARA_HOME" in os.environ \
        else cache_dir().parent / "solara"
    home.mkdir(parents=True, exist_ok=True)
    return home


def server_env(replay: Sequence[str] | None = None) -> dict[str, str]:
    """The environment of the server: offline assets, no telemetry, replay if any."""
    home = solara_home()
    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), QUIET]))
    env = {**os.environ, "SOLARA_HOME": str(home), "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
           "SOLARA_THEME_SHOW_BANNER": "false", "SOLARA_THEME_TITLE": "teamsim classroom",
           "PYTHONWARNINGS": warnings}
    for name in REPLAY_ENV:
        env.pop(name, None)
    if replay:
        env.update(zip(REPLAY_ENV, map(str, replay), strict=True))
    return env


def check_replay(replay: Sequence[str]) -> None:
    """Fail before starting if the study run cannot be opened (names what is missing)."""
    try:
        study_run(*replay)
    except ValueError as err:
        raise ClassroomError(f"--replay: {err}") from None


def wait_until_up(url: str, server: subprocess.Popen, timeout: float) -> None:
    """Poll ``url`` until it answers 200; fail if the server exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ClassroomError(f"the Solara server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ClassroomError(f"the Solara server did not answer at {url} within {timeout:.0f} s")


def prepare(port: int | None = None, replay: Sequence[str] | None = None) -> int:
    """Check everything a start needs (port, assets, the run to replay); return the port."""
    port = free_port() if port is None else check_port(port)
    asset_dir()
    if replay:
        check_replay(replay)
    return port


def address(port: int) -> str:
    return f"http://{HOST}:{port}/"


def serve(port: int, replay: Sequence[str] | None = None, output: IO | int | None = None,
          timeout: float = 90.0, app: str = APP) -> subprocess.Popen:
    """Start the server of page module ``app`` on ``port`` and wait until it answers.

    ``output`` receives the server's log (default: this terminal).
    """
    command = [sys.executable, "-m", "solara", "run", app, "--host", HOST,
               "--port", str(port), "--production", "--no-open"]
    server = subprocess.Popen(command, env=server_env(replay), stdout=output,
                              stderr=subprocess.STDOUT if output is not None else None)
    try:
        wait_until_up(address(port), server, timeout)
    except BaseException:
        stop(server)
        raise
    return server


def launch(port: int | None = None, replay: Sequence[str] | None = None,
           output: IO | int | None = None, timeout: float = 90.0
           ) -> tuple[subprocess.Popen, str]:
    """Check, start the server and wait until it answers; return it and the address."""
    port = prepare(port, replay)
    return serve(port, replay, output, timeout), address(port)


def stop(server: subprocess.Popen) -> None:
    """End the server (and only it)."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The flags every local page server takes: ``--port``, ``--open``, ``--verbose``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--port", type=int, default=None,
                        help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--open", action="store_true",
                        help="open the page in the default browser when it is ready")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="show the server's log here instead of in its log file")
    return parser


def run_until_stopped(command: str, port: int, log_name: str,
                      start: Callable[[IO | None], subprocess.Popen],
                      open_browser: bool = False, verbose: bool = False) -> int:
    """Print the address, start the server with ``start(output)`` (its log in
    ``log_name`` under Solara's folder, or this terminal with ``verbose``), say when it is
    ready, wait until it ends or Ctrl-C/SIGTERM; return the exit code. Shared by
    ``teamsim classroom`` and ``teamsim explore``."""
    url = address(port)
    print(f"{command}: {url}", flush=True)
    ensure_compiled(lambda line: print(f"  {line}", flush=True))   # before the first page
    log = solara_home() / log_name
    previous = signal.signal(signal.SIGTERM, interrupt)
    server = None
    try:
        with contextlib.nullcontext() if verbose else log.open("w") as out:
            server = start(out)
        print(f"  ready: open {url} in a browser (Ctrl-C stops the server; its log: "
              f"{'this terminal' if verbose else log})", flush=True)
        if open_browser:
            webbrowser.open(url)
        server.wait()
    except ClassroomError as err:
        print(f"{command}: {err}; the server's log is {log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{command}: stopped", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server is not None:
            stop(server)
    return server.returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``teamsim classroom [--port N] [--open] [--verbose]
    [--replay STUDY_DIR POINT REPLICATE]``."""
    parser = server_parser("teamsim classroom",
                           "Serve the interactive classroom view of one team on 127.0.0.1.")
    parser.add_argument("--replay", nargs=3, metavar=("STUDY_DIR", "POINT", "REPLICATE"),
                        help="replay run REPLICATE of point POINT of a finished study")
    args = parser.parse_args(argv)
    try:
        port = prepare(args.port, args.replay)
    except ClassroomError as err:
        print(f"teamsim classroom: {err}", file=sys.stderr)
        return 2
    return run_until_stopped("teamsim classroom", port, "server.log",
                             lambda out: serve(port, args.replay, out), args.open, args.verbose)


def interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C, so the server is stopped with us."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
