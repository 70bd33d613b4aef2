"""The demo's task worker, kept alive: ``courtier demo`` serves the pages in its own process and
runs the background work (emails, documents) in a ``db_worker`` next to it. A worker that exits
(an error it did not catch, such as SQLite's "database is locked" while a long CLI import holds
the write lock past the connection's timeout) would leave background work silently stopped, so
the supervisor starts it again, after a short pause, until the demo stops."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Process(Protocol):
    def wait(self) -> int: ...

    def terminate(self) -> None: ...


class WorkerSupervisor:
    """Run ``command`` and start it again each time it exits, until ``stop()``.

    ``spawn`` makes the process (``subprocess.Popen`` by default; tests give a fake) and
    ``report`` says what happened (the command's output)."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        spawn: Callable[..., Process] = subprocess.Popen,
        report: Callable[[str], Any] = print,
        pause: float = 1.0,
        max_restarts: int | None = None,
    ) -> None:
        self.command = list(command)
        self.env = env
        self.spawn = spawn
        self.report = report
        self.pause = pause  # seconds between an exit and the restart: no busy loop
        self.max_restarts = max_restarts
        self.restarts = 0
        self.process: Process | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # never start a process that stop() would miss
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Keep the worker running (blocks): the loop of the background thread."""
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = process = self.spawn(self.command, env=self.env)
            code = process.wait()
            if self._stopping.is_set():
                return
            if self.max_restarts is not None and self.restarts >= self.max_restarts:
                self.report(f"Le travailleur de tâches s'est arrêté (code {code}).")
                return
            self.restarts += 1
            self.report(
                f"Le travailleur de tâches s'est arrêté (code {code}) : redémarrage "
                f"n° {self.restarts}."
            )
            self._stopping.wait(self.pause)

    def start(self) -> WorkerSupervisor:
        self._thread = threading.Thread(target=self.run, name="demo-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            if self.process is not None:
                self.process.terminate()
