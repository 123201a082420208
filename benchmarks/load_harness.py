"""Plumbing of the load benchmark: its database, gunicorn servers, CPU meters and py-spy.

Only processes started here are ever stopped here: each server runs in its own process
group, which `Server.stop` ends with SIGTERM, then SIGKILL after 10 s.
"""
from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import sqlalchemy as sa
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY_SPY = BIN / "py-spy"


def prepare_database(url: str) -> None:
    """Drop and create the benchmark's own database, so every run starts the same."""
    parsed = sa.make_url(url)
    if "load" not in (parsed.database or ""):
        sys.exit(f"Refusing to empty database {parsed.database!r}: its name must contain 'load'.")
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        name = sql.Identifier(parsed.database)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def flask_cli(env: dict, *args: str) -> str:
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn (its own process group), stopped for sure by `stop`."""

    def __init__(self, name: str, target: str, env: dict, workers: int, log_dir: Path):
        self.name, self.port = name, free_port()
        self.log_path = log_dir / f"{name}.log"
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", target],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {path} within {timeout} s")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        """SIGTERM to the group, then SIGKILL after 10 s; never touches other processes."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_meter(server: Server, engine=None):
    """A function returning CPU seconds so far, per process, of the workers, their database
    backends and this client; the difference of two readings is what a phase cost."""
    def read() -> dict[str, dict[int, float]]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        reading = {"app": {pid: process_cpu(pid) for pid in server.worker_pids()},
                   "client": {0: usage.ru_utime + usage.ru_stime}}
        if engine is not None:
            with engine.connect() as conn:
                pids = conn.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                            "current_database() AND pid <> pg_backend_pid()"))
                reading["database"] = {pid: process_cpu(pid) for pid in pids}
        return reading
    return read


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {who: sum(t - before.get(who, {}).get(pid, 0.0) for pid, t in after[who].items())
            for who in after}


def profile(server: Server, out_dir: Path, seconds: float) -> list[subprocess.Popen]:
    """py-spy on each worker for the Plaza window (collapsed stacks, one file per worker)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([str(PY_SPY), "record", "--pid", str(pid), "--duration",
                              str(int(seconds)), "--format", "raw", "--nonblocking",
                              "--output", str(out_dir / f"worker-{pid}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for pid in server.worker_pids()]
