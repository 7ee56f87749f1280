"""``teamsim classroom`` (experiments.classroom.launch): checks before any server starts,
what it prints and in which order. (tests/test_classroom_browser.py starts the server.)"""

from __future__ import annotations

import importlib
import socket

import pytest

from experiments.classroom import launch as classroom
from experiments.classroom.launch import (
    QUIET,
    ClassroomError,
    asset_dir,
    check_port,
    main,
    server_env,
)

simulation = importlib.import_module("sim.simulate")   # the module, not sim's function


def test_bad_port_is_refused_before_starting(capsys):
    assert main(["--port", "70000"]) == 2
    assert "--port = 70000 is out of range: allowed 1 .. 65535" in capsys.readouterr().err


def test_busy_port_is_refused():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(ClassroomError, match="is in use on 127.0.0.1"):
            check_port(busy.getsockname()[1])


def test_missing_study_is_refused_before_starting(tmp_path, capsys):
    assert main(["--replay", str(tmp_path / "none"), "p1", "0"]) == 2
    assert "--replay: study folder" in capsys.readouterr().err


def test_missing_assets_are_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLARA_ASSETS_PROXY_CACHE_DIR", str(tmp_path))
    with pytest.raises(ClassroomError, match="pip install solara-assets==1.58.2"):
        asset_dir()


def test_installed_assets_are_found(monkeypatch):
    monkeypatch.delenv("SOLARA_ASSETS_PROXY_CACHE_DIR", raising=False)
    assert (asset_dir() / "@widgetti").is_dir()


def test_server_environment_is_offline_and_private(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLARA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEAMSIM_REPLAY_STUDY", "stale")
    monkeypatch.setenv("PYTHONWARNINGS", "error::DeprecationWarning")
    env = server_env()
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_THEME_SHOW_BANNER"] == "false"
    assert env["PYTHONWARNINGS"] == f"error::DeprecationWarning,{QUIET}"
    assert env["SOLARA_HOME"] == str(tmp_path / "home") and (tmp_path / "home").is_dir()
    assert not any(name in env for name in classroom.REPLAY_ENV)
    env = server_env(["results/x", "p1", 3])
    assert [env[name] for name in classroom.REPLAY_ENV] == ["results/x", "p1", "3"]


def test_default_solara_home_is_in_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("SOLARA_HOME", raising=False)
    monkeypatch.delenv("TEAMSIM_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert classroom.solara_home() == tmp_path / "teamsim" / "solara"
    monkeypatch.setenv("TEAMSIM_CACHE_DIR", str(tmp_path / "mine"))   # beside the engine
    assert classroom.solara_home() == tmp_path / "mine" / "solara"


class Server:
    """Stands in for the Solara server: the user presses Ctrl-C at once."""

    returncode = None

    def wait(self, timeout=None):
        raise KeyboardInterrupt

    def poll(self):
        return 0


def test_the_address_comes_first_then_ready_and_the_browser_opens(monkeypatch, capsys,
                                                                   tmp_path):
    monkeypatch.setenv("SOLARA_HOME", str(tmp_path))
    monkeypatch.setattr(simulation, "engine_on_disk", lambda: True)
    started, opened = [], []
    monkeypatch.setattr(classroom, "serve", lambda port, replay, out: started.append(
        (port, out)) or Server())
    monkeypatch.setattr(classroom.webbrowser, "open", opened.append)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["--port", str(port), "--open"]) == 0
    lines = capsys.readouterr().out.splitlines()
    url = f"http://127.0.0.1:{port}/"
    assert lines[0] == f"teamsim classroom: {url}"
    assert lines[1].startswith(f"  ready: open {url} in a browser (Ctrl-C stops the server")
    assert str(tmp_path / "server.log") in lines[1]
    assert lines[-1] == "teamsim classroom: stopped"
    assert opened == [url] and started[0][0] == port


def test_a_model_not_yet_compiled_is_compiled_before_the_server_starts(monkeypatch, capsys,
                                                                        tmp_path):
    monkeypatch.setenv("SOLARA_HOME", str(tmp_path))
    monkeypatch.setattr(simulation, "engine_on_disk", lambda: False)
    order = []
    monkeypatch.setattr(simulation, "compile_engine", lambda: order.append("compile") or 8.6)
    monkeypatch.setattr(classroom, "serve", lambda port, replay, out: order.append("serve")
                        or Server())
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert order == ["compile", "serve"]
    assert lines[1].startswith("  compiling the engine (once after installing or changing")
    assert lines[2].startswith("  compiled in 9 s")
    assert lines[3].startswith("  ready: open")


def test_a_port_the_last_server_left_in_time_wait_is_free_but_a_listening_one_is_not():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()                 # the server side closes first: its port is in TIME_WAIT
    client.close()
    with pytest.raises(classroom.ClassroomError, match=f"--port = {port} is in use"):
        classroom.check_port(port)           # still listening
    listener.close()
    assert classroom.check_port(port) == port


def test_a_fresh_machine_gets_its_log_folder_before_the_server_starts(monkeypatch, capsys,
                                                                        tmp_path):
    """No Solara folder yet (first start after installing): it is made, not a crash."""
    monkeypatch.delenv("SOLARA_HOME", raising=False)
    monkeypatch.setenv("TEAMSIM_CACHE_DIR", str(tmp_path / "fresh"))
    monkeypatch.setattr(simulation, "engine_on_disk", lambda: True)
    monkeypatch.setattr(classroom, "serve", lambda port, replay, out: Server())
    assert main([]) == 0
    assert (tmp_path / "fresh" / "solara" / "server.log").is_file()
    assert "ready: open" in capsys.readouterr().out


def test_without_open_no_browser_is_opened(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SOLARA_HOME", str(tmp_path))
    monkeypatch.setattr(classroom, "serve", lambda port, replay, out: Server())
    monkeypatch.setattr(classroom.webbrowser, "open", lambda url: pytest.fail("opened"))
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("teamsim classroom: http://127.0.0.1:")
