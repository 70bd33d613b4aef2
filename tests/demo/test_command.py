"""`courtier demo` serves with a task worker that is started again whenever it exits, on a
SQLite database that waits for a lock instead of failing, and writes links to the address it
serves on (issue 10 §7 and §9)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command

from courtier.demo.management.commands import demo as demo_command
from courtier.demo.management.commands.demo import served_url
from courtier.demo.worker import WorkerSupervisor


class FakeProcess:
    """A worker that exits at once with ``code`` (the first ones "database is locked")."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.terminated = False

    def wait(self) -> int:
        return self.code

    def terminate(self) -> None:
        self.terminated = True


def test_the_worker_is_started_again_each_time_it_exits():
    started, reports = [], []

    def spawn(command, env=None):
        started.append((command, env))
        return FakeProcess(1)

    supervisor = WorkerSupervisor(
        ["courtier", "db_worker"],
        env={"SITE_URL": "http://127.0.0.1:8765"},
        spawn=spawn,
        report=reports.append,
        pause=0,
        max_restarts=3,
    )
    supervisor.run()
    assert len(started) == 4  # the first start and three restarts
    assert all(env == {"SITE_URL": "http://127.0.0.1:8765"} for _, env in started)
    assert supervisor.restarts == 3
    assert "redémarrage n° 1" in reports[0]
    assert "code 1" in reports[-1]


def test_a_stopped_supervisor_terminates_its_worker_and_starts_no_other():
    running = threading.Event()
    released = threading.Event()
    started = []

    class Blocking(FakeProcess):
        def wait(self) -> int:
            running.set()
            released.wait(5)
            return -15

        def terminate(self) -> None:
            super().terminate()
            released.set()

    def spawn(command, env=None):
        started.append(Blocking(0))
        return started[-1]

    supervisor = WorkerSupervisor(["w"], spawn=spawn, report=lambda _: None, pause=0).start()
    assert running.wait(5)
    supervisor.stop()
    supervisor._thread.join(5)
    assert not supervisor._thread.is_alive()
    assert len(started) == 1 and started[0].terminated
    assert supervisor.restarts == 0


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("8765", "http://127.0.0.1:8765"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("localhost:8000", "http://localhost:8000"),
    ],
)
def test_the_served_address_is_the_one_links_show(addrport, url):
    assert served_url(addrport) == url


def test_serving_on_another_port_makes_the_emails_link_there(monkeypatch, db, settings):
    """`courtier demo 127.0.0.1:8765`: this process's emails and the worker's link to :8765."""
    monkeypatch.delenv("SITE_URL", raising=False)
    seen = {}

    class Supervisor:
        def __init__(self, command, *, env, report):
            seen["env"] = env

        def start(self):
            seen["site_url_at_start"] = settings.SITE_URL
            return self

        def stop(self):
            pass

    def load_demo():  # the demo's emails are written while it loads (core.mail.notify)
        seen["site_url_while_loading"] = settings.SITE_URL
        return []

    monkeypatch.setattr(demo_command, "WorkerSupervisor", Supervisor)
    monkeypatch.setattr(demo_command, "load_demo", load_demo)
    monkeypatch.setattr(demo_command.atexit, "register", lambda f: None)
    real_call = demo_command.call_command

    def fake_call(name, *args, **kwargs):
        if name == "runserver":
            seen["runserver"] = args
            return None
        return real_call(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", fake_call)
    call_command("demo", "127.0.0.1:8765")
    assert seen["env"]["SITE_URL"] == "http://127.0.0.1:8765"
    assert seen["site_url_at_start"] == "http://127.0.0.1:8765"
    assert seen["site_url_while_loading"] == "http://127.0.0.1:8765"
    assert seen["runserver"] == ("127.0.0.1:8765",)


def test_an_explicit_site_url_wins_and_no_serve_leaves_the_setting_alone(monkeypatch, db, settings):
    monkeypatch.setenv("SITE_URL", "https://courtier.example/")
    assert demo_command.Command.follow_address("127.0.0.1:8765") == "https://courtier.example"
    monkeypatch.delenv("SITE_URL")
    settings.SITE_URL = "http://127.0.0.1:8000"
    monkeypatch.setattr(demo_command, "load_demo", lambda: [])
    call_command("demo", "127.0.0.1:8765", "--no-serve")
    assert settings.SITE_URL == "http://127.0.0.1:8000"


def test_sqlite_waits_for_the_write_lock_instead_of_failing(settings):
    """A worker meeting a long import's write lock waits up to 20 s, and every transaction
    takes the lock at its start (no upgrade deadlock): "database is locked" becomes rare, and
    the supervisor restarts the worker when it happens anyway."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = database["OPTIONS"]
    assert options["timeout"] >= 20
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
