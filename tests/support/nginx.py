"""nginx with the shipped deploy/nginx.conf, made local, in front of test workers."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.faults import (
    need_program,
)
from tests.support.harness import ROOT, free_port


class Nginx:
    """nginx with deploy/nginx.conf, its upstreams and port made local, in a directory of
    its own. The access log names the upstream of every request."""

    def __init__(self, directory: Path, upstreams: list[int], connections: int = 1024) -> None:
        self.binary = need_program("nginx", "KINBOARD_REQUIRE_NGINX")
        self.connections = connections  # each proxied socket takes two
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstreams = upstreams
        self.process: subprocess.Popen[bytes] | None = None

    def render(self) -> Path:
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        live = "\n".join(line for line in site.splitlines() if not line.lstrip().startswith("#"))
        for n, port in enumerate(self.upstreams, start=1):
            assert live.count(f"kinboard-{n}:8000") == 1, f"no upstream kinboard-{n}:8000"
            site = site.replace(f"kinboard-{n}:8000", f"127.0.0.1:{port}")
        site, listens = re.subn(
            r"^(\s*)listen\s+80;", rf"\g<1>listen 127.0.0.1:{self.port};", site, flags=re.M
        )
        assert listens == 1, "deploy/nginx.conf should listen on port 80 once"
        log = self.directory / "access.log"
        site, logs = re.subn(
            r"^(\s*)access_log\s+[^;]*;", rf"\g<1>access_log {log} upstream;", site, flags=re.M
        )
        if not logs:
            site = site.replace("server {", f"server {{\n    access_log {log} upstream;", 1)
        (self.directory / "kinboard.conf").write_text(site)
        temp = self.directory / "temp"
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = self.directory / "nginx.conf"
        conf.write_text(
            f"{user}worker_processes 1;\n"
            f"worker_rlimit_nofile {self.connections + 64};\n"
            f"events {{ worker_connections {self.connections}; }}\n"
            "http {\n"
            f"    client_body_temp_path {temp}/body;\n"
            f"    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n"
            f"    uwsgi_temp_path {temp}/uwsgi;\n"
            f"    scgi_temp_path {temp}/scgi;\n"
            # Every worker nginx tried, in order ("a, b" after a failure), in quotes.
            '    log_format upstream \'$remote_addr "$upstream_addr" $status "$request"\';\n'
            f"    include {self.directory / 'kinboard.conf'};\n"
            "}\n"
        )
        return conf

    def start(self) -> Nginx:
        (self.directory / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.render()
        error_log = self.directory / "error.log"
        self.process = subprocess.Popen(
            [
                self.binary,
                *("-p", str(self.directory), "-e", str(error_log), "-c", str(conf)),
                "-g",
                f"daemon off; pid {self.directory / 'nginx.pid'}; error_log {error_log};",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {error_log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def requests(self) -> list[tuple[str, list[int], int, str]]:
        """Every request nginx has logged (a WebSocket once it has closed): the client's
        address, the worker ports tried in order, the status and the request line."""
        lines = []
        for line in (self.directory / "access.log").read_text().splitlines():
            match = re.fullmatch(r'(\S+) "([^"]*)" (\d+) "(.*)"', line)
            assert match, f"unreadable access log line {line!r}"
            source, tried, status, request = match.groups()
            ports = [int(port) for port in re.findall(r":(\d+)", tried)]
            lines.append((source, ports, int(status), request))
        return lines

    def upstream_for_meeting(self, meeting_id: str) -> int:
        """The worker port nginx sends this meeting's sockets to."""
        marker = secrets.token_hex(4)
        path = f"/healthz?meeting={meeting_id}&probe={marker}"
        assert httpx.get(f"{self.url}{path}", timeout=5).status_code == 200
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            for _, ports, _, request in self.requests():
                if f"probe={marker}" in request:
                    return ports[-1]
            time.sleep(0.02)
        raise AssertionError(f"no access log line for {path}")
