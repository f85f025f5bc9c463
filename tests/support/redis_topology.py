"""Redis in the shapes production may run it, each process on a free port with its own
directory: a master with a replica watched by three sentinels (`SentinelGroup`), and a
three-master Redis Cluster (`RedisClusterNodes`). The nodes are faults.py's `RedisServer`.
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import redis

from tests.support.faults import RedisServer, need_program
from tests.support.harness import free_port

# The master's name in the sentinels' configuration, and in REDIS_URL.
SERVICE = "kinboard"
# A master that does not answer for this long is down to a sentinel; with failover's own
# steps, the replica is promoted some 2-3 s after the master dies.
DOWN_AFTER_MS = 1000


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except (redis.RedisError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


class SentinelProcess:
    """`redis-server <conf> --sentinel` (what Debian's redis-sentinel package runs),
    watching the group's master. Its configuration file is its own: sentinels rewrite it."""

    def __init__(self, directory: Path, master_port: int, password: str) -> None:
        self.binary = need_program("redis-server", "KINBOARD_REQUIRE_REDIS")
        self.directory = directory
        self.port = free_port()
        self.master_port = master_port
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None

    def admin(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, decode_responses=True)

    def start(self) -> SentinelProcess:
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "sentinel.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {self.directory}\nlogfile sentinel.log\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.master_port} 2\n"
            f"sentinel auth-pass {SERVICE} {self.password}\n"
            f"sentinel down-after-milliseconds {SERVICE} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {SERVICE} 10000\n"
        )
        self.process = subprocess.Popen(
            [self.binary, str(config), "--sentinel"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: bool(self.admin().ping()), 10, f"sentinel on {self.port} answers")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class SentinelGroup:
    """A master, one replica of it and three sentinels (quorum 2): the smallest Sentinel
    set-up that survives losing the master (operations.md, "Redis Sentinel")."""

    def __init__(self, directory: Path) -> None:
        password = secrets.token_urlsafe(16)
        # Either may be master after a failover, so both know the password to replicate.
        # A master sends its first copy to a replica at once, not after Redis's default 5 s
        # wait for more replicas to share the transfer (there is only one).
        auth = ("--masterauth", password, "--repl-diskless-sync-delay", "0")
        self.master = RedisServer(directory / "master", password, auth)
        self.replica = RedisServer(
            directory / "replica",
            password,
            (*auth, "--replicaof", "127.0.0.1", str(self.master.port)),
        )
        self.sentinels = [
            SentinelProcess(directory / f"sentinel{n}", self.master.port, password)
            for n in range(3)
        ]

    @property
    def url(self) -> str:
        """REDIS_URL in the form python-socketio reads."""
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://:{self.master.password}@{hosts}/0/{SERVICE}"

    def start(self) -> SentinelGroup:
        try:
            self.master.start()
            self.replica.start()
            wait_for(self._replicating, 10, "the replica copies the master")
            for sentinel in self.sentinels:
                sentinel.start()
            # Each sentinel must know the replica (from the master's INFO, every 10 s) and
            # the two other sentinels (they meet through the master, every 2 s) before a
            # failover can be agreed on.
            wait_for(self._watching, 40, "the sentinels know each other and the replica")
        except BaseException:
            self.stop()
            raise
        return self

    def _replicating(self) -> bool:
        with self.replica.admin() as admin:
            return admin.info("replication")["master_link_status"] == "up"

    def _watching(self) -> bool:
        for sentinel in self.sentinels:
            with sentinel.admin() as admin:
                master = admin.sentinel_master(SERVICE)
                if master["num-other-sentinels"] != 2 or master["num-slaves"] != 1:
                    return False
        return True

    def master_port(self) -> int:
        """The master's port, as the sentinels (the first that answers) name it."""
        for sentinel in self.sentinels:
            try:
                with sentinel.admin() as admin:
                    _, port = admin.sentinel_get_master_addr_by_name(SERVICE)
                    return int(port)
            except (redis.RedisError, OSError):
                continue
        raise RuntimeError("no sentinel answers")

    def kill_master(self) -> None:
        self.master.stop(signal.SIGKILL)

    def stop(self) -> None:
        for sentinel in self.sentinels:
            sentinel.stop()
        self.replica.stop()
        self.master.stop()


class RedisClusterNodes:
    """Three masters with `cluster-enabled yes`, joined by `redis-cli --cluster create`
    with no replicas: every slot served, each node a third of them."""

    def __init__(self, directory: Path, masters: int = 3) -> None:
        self.cli = need_program("redis-cli", "KINBOARD_REQUIRE_REDIS")
        password = secrets.token_urlsafe(16)
        # The bus port is given: port + 10000, the default, may be past 65535.
        self.nodes = [
            RedisServer(
                directory / f"node{n}",
                password,
                (
                    *("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"),
                    *("--cluster-port", str(free_port())),
                ),
            )
            for n in range(masters)
        ]

    @property
    def url(self) -> str:
        """REDIS_URL of the cluster: its nodes (the client would learn them from one)."""
        nodes = ",".join(f"127.0.0.1:{node.port}" for node in self.nodes)
        return f"redis+cluster://:{self.nodes[0].password}@{nodes}"

    def start(self) -> RedisClusterNodes:
        try:
            for node in self.nodes:
                node.start()
            subprocess.run(
                [
                    self.cli,
                    *("-a", self.nodes[0].password, "--no-auth-warning", "--cluster", "create"),
                    *(f"127.0.0.1:{node.port}" for node in self.nodes),
                    *("--cluster-replicas", "0", "--cluster-yes"),
                ],
                check=True,
                capture_output=True,
                timeout=30,
            )
            wait_for(self._ready, 20, "the cluster serves every slot")
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        for node in self.nodes:
            with node.admin() as admin:
                info = admin.cluster("info")
                if info["cluster_state"] != "ok" or int(info["cluster_known_nodes"]) != len(
                    self.nodes
                ):
                    return False
        return True

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()
