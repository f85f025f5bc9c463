"""The configurations under test, each as real server processes on free ports (and nginx
in front where the configuration has it), and what they cost: CPU time and resident memory
of those processes (and of Redis), and the longest pause of their garbage collector."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import redis

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    key: str
    name: str
    workers: int = 1
    redis: bool = False
    relay: bool = False
    proxy: bool = False  # nginx (deploy/nginx.conf) in front: clients reach it only


TARGETS = {
    "a": Target("a", "bare python-socketio relay", relay=True),
    "b": Target("b", "Kinboard, embedded store"),
    "c": Target("c", "Kinboard, Redis, 1 worker", redis=True),
    "d": Target("d", "Kinboard, Redis, 2 workers", workers=2, redis=True),
    "e": Target(
        "e",
        "Kinboard, Redis, 2 workers, by meeting through nginx",
        workers=2,
        redis=True,
        proxy=True,
    ),
}
# What a server logs on SIGUSR1 (server/collector.py).
GC_REPORT = re.compile(
    r"garbage collection: (\d+) collections, ([\d.]+) ms in all, longest ([\d.]+) ms "
    r"\(generation (-?\d)\)"
)


@dataclass(frozen=True)
class Collections:
    """The garbage collector's pauses in the server processes over a window."""

    longest_ms: float = float("nan")  # the longest pause in any process
    generation: int = -1  # and the generation it collected
    total_ms: float = float("nan")  # all pauses of all processes together


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """Starts a target's processes; `with Servers(...) as s:` stops them and removes every
    file and Redis key they made."""

    def __init__(
        self,
        target: Target,
        redis_url: str,
        logs: Path | None = None,
        kinboard_root: Path = ROOT,
    ) -> None:
        self.target = target
        # Another checkout (e.g. `git archive <commit> server templates | tar -x`), to
        # measure an older or newer server with the same generator: before and after.
        self.kinboard_root = kinboard_root
        self.logs = logs  # where to keep the servers' logs after stopping
        self.redis_url = redis_url
        self.prefix = f"kbbench-{secrets.token_hex(4)}"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"kinboard-bench-{target.key}-"))
        self.ports = [free_port() for _ in range(target.workers)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.proxy = _proxy(self.workdir / "nginx", self.ports) if target.proxy else None
        # Where the clients go: to nginx, or straight to the workers.
        self.client_urls = [self.proxy.url] if self.proxy is not None else self.urls
        # Starting meetings needs a staff member or the API key: the generator uses the key.
        self.api_key = secrets.token_urlsafe(24)
        self.processes: list[subprocess.Popen[bytes]] = []
        self._psutil: list[psutil.Process] = []

    def __enter__(self) -> Servers:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> None:
        secret = secrets.token_urlsafe(48)  # shared by the workers, so links work on both
        for n, port in enumerate(self.ports):
            log = (self.workdir / f"server-{n}.log").open("ab")
            if self.target.relay:
                command = [sys.executable, "-m", "bench.relay", "--port", str(port)]
                env, cwd = dict(os.environ), ROOT
            else:
                command = [sys.executable, "-m", "server", "serve"]
                env, cwd = self._kinboard_env(n, port, secret), self.kinboard_root
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            self.processes.append(process)
            self._psutil.append(psutil.Process(process.pid))
        for n, url in enumerate(self.urls):
            # /readyz with Redis: only once a worker hears the others' broadcasts.
            path = "/healthz" if self.target.relay else "/readyz"
            self._wait_ready(n, url + path)
        if self.proxy is not None:
            self.proxy.start()
            self._proxy_psutil = psutil.Process(self.proxy.process.pid)  # type: ignore[union-attr]

    def _kinboard_env(self, n: int, port: int, secret: str) -> dict[str, str]:
        # Nothing of the caller's Kinboard settings leaks in (an API key would refuse us).
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KINBOARD_") and k != "REDIS_URL"
        }
        env.update(
            KINBOARD_HOST="127.0.0.1",
            KINBOARD_PORT=str(port),
            KINBOARD_DATA_DIR=str(self.workdir / f"data-{n}"),
            KINBOARD_BASE_URL=self.client_urls[0],
            KINBOARD_ALLOWED_ORIGINS=",".join(self.client_urls),
            KINBOARD_SECRET_KEY=secret,
            KINBOARD_API_KEY=self.api_key,
            # Every participant joins from 127.0.0.1: lift the per-address join limit.
            KINBOARD_JOIN_BURST="1000000",
        )
        if self.target.redis:
            env.update(REDIS_URL=self.redis_url, KINBOARD_REDIS_PREFIX=self.prefix)
        return env

    def _wait_ready(self, n: int, url: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.processes[n].poll() is not None:
                raise RuntimeError(f"server {n} exited:\n{self.log(n)}")
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server {n} not ready at {url}:\n{self.log(n)}")

    def log(self, n: int) -> str:
        return self.log_text(n)[-4000:]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def rss(self) -> int:
        """Resident memory of all the target's server processes, in bytes."""
        return sum(p.memory_info().rss for p in self._psutil)

    def cpu_seconds(self) -> float:
        total = 0.0
        for p in self._psutil:
            times = p.cpu_times()
            total += times.user + times.system
        return total

    def proxy_cpu_seconds(self) -> float:
        """nginx's CPU time (0 without nginx): the price of routing, apart from the workers'."""
        if self.proxy is None:
            return 0.0
        total = 0.0
        for process in [self._proxy_psutil, *self._proxy_psutil.children()]:  # its workers
            times = process.cpu_times()
            total += times.user + times.system
        return total

    def collections(self, timeout: float = 5.0) -> Collections:
        """The garbage collector's pauses in every server process since the last call: each
        is asked (SIGUSR1) and its log read for the answer."""
        before = [len(GC_REPORT.findall(self.log_text(n))) for n in range(len(self.processes))]
        for process in self.processes:
            process.send_signal(signal.SIGUSR1)
        longest, total = (0.0, -1), 0.0
        deadline = time.monotonic() + timeout
        for n, seen in enumerate(before):
            while len(reports := GC_REPORT.findall(self.log_text(n))) <= seen:
                if time.monotonic() > deadline:
                    return Collections()
                time.sleep(0.05)
            _, all_ms, ms, generation = reports[-1]
            longest = max(longest, (float(ms), int(generation)))
            total += float(all_ms)
        return Collections(*longest, total)

    def log_text(self, n: int) -> str:
        path = self.workdir / f"server-{n}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.target.redis:
            delete_keys(self.redis_url, self.prefix)
        if self.logs is not None:
            self.logs.mkdir(parents=True, exist_ok=True)
            for n in range(len(self.processes)):
                log = self.workdir / f"server-{n}.log"
                if log.exists():
                    shutil.copy(log, self.logs / f"{self.target.key}-server-{n}.log")
        shutil.rmtree(self.workdir, ignore_errors=True)


def _proxy(directory: Path, ports: list[int]) -> Any:
    """deploy/nginx.conf in front of these workers, as the tests run it, with room for
    every socket of a large run."""
    from tests.support.nginx import Nginx  # the test suite's: one way to run nginx locally

    return Nginx(directory, ports, connections=16_384)


def delete_keys(redis_url: str, prefix: str) -> int:
    """Delete this run's keys, and only those (`<prefix>:*`)."""
    client = redis.Redis.from_url(redis_url)
    deleted = 0
    try:
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    finally:
        client.close()
    return deleted


def redis_cpu_seconds(redis_url: str) -> float | None:
    """The Redis server's own CPU time (INFO cpu), or None without Redis."""
    try:
        client = redis.Redis.from_url(redis_url, socket_timeout=2)
        try:
            info = client.info("cpu")
        finally:
            client.close()
    except redis.RedisError:
        return None
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])
