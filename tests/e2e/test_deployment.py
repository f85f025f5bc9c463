"""The deployment files say what docs/operations.md promises: Redis that neither loses nor
evicts acknowledged changes and has a password, two workers sharing it and one secret key,
health checks on every service, and nginx in front with WebSocket upgrade and sticky routing.
The Dockerfile and .ci/run take their Debian packages from deploy/debian-packages.txt, and its
runtime group is what the minutes PDF needs: WeasyPrint renders it in the fonts the CSS names.
"""

from __future__ import annotations

import io
import ipaddress
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from pypdf import PdfReader

from tests.support.harness import ROOT, Client, ServerProcess, create_meeting

COMPOSE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
DOCKERFILE = ROOT / "Dockerfile"
PACKAGES = ROOT / "deploy" / "debian-packages.txt"
CI_RUN = ROOT / ".ci" / "run"
MINUTES_CSS = ROOT / "templates" / "minutes.css"
GROUPS = ("runtime", "test")
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
# Socket.IO pings every 10 s (server/realtime.py); nginx must not cut a socket between pings.
PING_INTERVAL = 10


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load(COMPOSE.read_text())
    return compose["services"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def command(service: dict[str, Any]) -> list[str]:
    value = service.get("command") or []
    return shlex.split(value) if isinstance(value, str) else [str(part) for part in value]


def option(args: list[str], name: str) -> str | None:
    """The value after `--name` (or in `--name=value`), or None."""
    for n, arg in enumerate(args):
        if arg == name and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def environment(service: dict[str, Any]) -> dict[str, str]:
    value = service.get("environment") or {}
    if isinstance(value, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in value)
    return {key: "" if v is None else str(v) for key, v in value.items()}


def variables(text: str) -> set[str]:
    """The ${NAME...} interpolations in a compose value."""
    return set(re.findall(r"\$\{(\w+)", text))


def volumes(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of every volume, short or long syntax."""
    found = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target, *_ = [*volume.split(":"), ""]
        else:
            source, target = str(volume.get("source", "")), str(volume.get("target", ""))
        found.append((source, target))
    return found


def redis_service(services: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    named = [
        (name, s)
        for name, s in services.items()
        if "redis" in str(s.get("image", "")) or "redis-server" in command(s)
    ]
    assert len(named) == 1, f"one Redis service expected, found {[n for n, _ in named]}"
    return named[0]


def workers(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: s for name, s in services.items() if "REDIS_URL" in environment(s)}


def nginx_service(services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    found = [s for s in services.values() if str(s.get("image", "")).startswith("nginx")]
    assert len(found) == 1, "one nginx service expected in docker-compose.yml"
    return found[0]


def worker_port() -> str:
    match = re.search(r"KINBOARD_PORT=(\d+)", DOCKERFILE.read_text())
    assert match, "the Dockerfile sets KINBOARD_PORT"
    return match.group(1)


def nginx_conf() -> str:
    """deploy/nginx.conf without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text().splitlines())


def block(conf: str, head: str) -> str:
    """The body of the first `head { ... }` block (no nested braces in it)."""
    match = re.search(re.escape(head) + r"\s*\{([^{}]*)\}", conf)
    assert match, f"deploy/nginx.conf has no `{head} {{ ... }}` block"
    return match.group(1)


def directives(body: str, name: str) -> list[str]:
    return [m.strip() for m in re.findall(rf"(?m)^\s*{re.escape(name)}\s+([^;]*);", body)]


# --- Redis ---


def test_redis_keeps_every_acknowledged_change_and_never_evicts(
    services: dict[str, dict[str, Any]],
) -> None:
    _, redis = redis_service(services)
    args = command(redis)
    assert option(args, "--appendonly") == "yes", "AOF on: a restart keeps the meetings"
    assert option(args, "--appendfsync") == "everysec", "as docs/operations.md says"
    assert option(args, "--maxmemory-policy") == "noeviction", "refuse writes, never drop data"


def test_redis_has_a_password_and_the_workers_use_it(
    services: dict[str, dict[str, Any]],
) -> None:
    redis_name, redis = redis_service(services)
    password = option(command(redis), "--requirepass")
    assert password, "Redis needs --requirepass"
    for name, worker in workers(services).items():
        url = environment(worker)["REDIS_URL"]
        parts = urlsplit(url)
        assert parts.hostname == redis_name, f"{name} reaches Redis at its service name"
        assert parts.password, f"{name}'s REDIS_URL carries the password"
        if variables(password):
            assert variables(password) <= variables(parts.password), (
                f"{name}'s REDIS_URL password is {parts.password!r}, Redis's is {password!r}"
            )
        else:
            assert parts.password == password


def test_redis_data_lives_on_a_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    _, redis = redis_service(services)
    data_dir = option(command(redis), "--dir") or "/data"  # the redis image's working dir
    mounted = {target: source for source, target in volumes(redis)}
    assert data_dir in mounted, f"Redis data ({data_dir}) is not on a volume: {mounted}"
    source = mounted[data_dir]
    if not source.startswith((".", "/")):  # a named volume: declared at the top level
        assert source in (compose.get("volumes") or {}), f"volume {source} is not declared"


# --- the workers ---


def test_two_workers_share_redis_and_one_secret_key(
    services: dict[str, dict[str, Any]],
) -> None:
    found = workers(services)
    assert len(found) >= 2, f"two Kinboard workers expected, found {list(found)}"
    envs = [environment(worker) for worker in found.values()]
    for name, env in zip(found, envs, strict=True):
        assert env.get("KINBOARD_SECRET_KEY"), f"{name} needs KINBOARD_SECRET_KEY"
        secret = env["KINBOARD_SECRET_KEY"]
        assert variables(secret) or len(secret) >= 32, "a real key, or one from the environment"
    for variable in ("REDIS_URL", "KINBOARD_SECRET_KEY", "KINBOARD_BASE_URL"):
        values = {env.get(variable) for env in envs}
        assert len(values) == 1, f"the workers must share {variable}: {values}"


# --- health ---


def test_every_service_has_a_health_check(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    for name, worker in workers(services).items():
        test = " ".join(worker["healthcheck"]["test"])
        assert "/readyz" in test, f"{name}: check /readyz (store and pub/sub), not only /healthz"


# --- nginx ---


def test_nginx_fronts_the_workers_with_deploy_nginx_conf(
    services: dict[str, dict[str, Any]],
) -> None:
    nginx = nginx_service(services)
    sources = [
        (COMPOSE.parent / source).resolve()
        for source, target in volumes(nginx)
        if target.startswith("/etc/nginx/")
    ]
    assert NGINX_CONF.resolve() in sources, "deploy/nginx.conf is mounted into nginx"
    assert nginx.get("ports"), "nginx publishes a port"
    depends = nginx.get("depends_on") or []
    for name in workers(services):
        assert name in depends, f"nginx starts after {name}"


def test_nginx_conf_upgrades_websockets_and_keeps_each_meeting_on_one_worker(
    services: dict[str, dict[str, Any]],
) -> None:
    conf = nginx_conf()
    upstream = re.search(r"upstream\s+(\w+)\s*\{([^{}]*)\}", conf)
    assert upstream, "deploy/nginx.conf has an upstream for the workers"
    name, body = upstream.groups()
    # Every socket of a meeting on one worker (and so each long-polling session), by the
    # meeting id the client puts in its URL, directly or through a map.
    (hashed,) = directives(body, "hash")
    key, *flags = hashed.split()
    assert flags == ["consistent"], "a lost worker moves only its own meetings"
    if key != "$arg_meeting":
        mapped = re.search(r"map\s+\$arg_meeting\s+" + re.escape(key) + r"\s*\{([^{}]*)\}", conf)
        assert mapped, f"{key} is the meeting id ($arg_meeting)"
        assert re.search(r"(?m)^\s*default\s+\$arg_meeting\s*;", mapped.group(1))
    servers = " ".join(directives(body, "server"))
    port = worker_port()
    for worker in workers(services):
        assert f"{worker}:{port}" in servers, f"the upstream names {worker}:{port}"

    location = block(conf, "location /")
    assert f"http://{name}" in directives(location, "proxy_pass")
    assert "1.1" in directives(location, "proxy_http_version"), "WebSocket needs HTTP/1.1"
    headers = {
        h.split()[0].lower(): h.split(None, 1)[1] for h in directives(location, "proxy_set_header")
    }
    assert headers.get("upgrade") == "$http_upgrade"
    connection = headers.get("connection", "")
    if connection.startswith("$"):
        mapped = re.search(r"map\s+\$http_upgrade\s+" + re.escape(connection) + r"\s*\{", conf)
        assert mapped, f"{connection} is mapped from $http_upgrade"
    else:
        assert connection.strip("\"'").lower() == "upgrade"
    for timeout in directives(location, "proxy_read_timeout"):
        assert seconds(timeout) > 2 * PING_INTERVAL, f"proxy_read_timeout {timeout} is too short"


def seconds(value: str) -> float:
    """An nginx time ("60", "60s", "1m", "500ms") in seconds."""
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", value.strip())
    assert match, f"unreadable nginx time {value!r}"
    number, unit = int(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def test_the_workers_trust_x_forwarded_for_from_nginx_alone_and_nginx_sets_it(
    services: dict[str, dict[str, Any]],
) -> None:
    nginx = nginx_service(services)
    nginx_networks = nginx.get("networks") or {}
    assert isinstance(nginx_networks, dict), "nginx needs a fixed address (ipv4_address)"
    addresses = [ipaddress.ip_address(net["ipv4_address"]) for net in nginx_networks.values()]
    assert addresses, "nginx needs a fixed address (ipv4_address) for the workers to trust"
    for name, worker in workers(services).items():
        trusted = environment(worker).get("KINBOARD_TRUSTED_PROXIES", "")
        networks = [ipaddress.ip_network(p.strip()) for p in trusted.split(",") if p.strip()]
        assert networks, f"{name}: KINBOARD_TRUSTED_PROXIES names nginx"
        assert all(any(a in n for n in networks) for a in addresses), f"{name}: trust nginx"
        # Trusting more than nginx would let anything else on the network pick its address.
        assert all(n.num_addresses == 1 for n in networks), f"{name}: trust nginx alone"
    headers = {
        h.split()[0].lower(): h.split(None, 1)[1]
        for h in directives(block(nginx_conf(), "location /"), "proxy_set_header")
    }
    # $proxy_add_x_forwarded_for would pass on whatever the client claims.
    assert headers.get("x-forwarded-for") == "$remote_addr"


# --- the Debian packages: one list for the Dockerfile and .ci/run ---


def package_list(path: Path = PACKAGES) -> list[tuple[str, str, str | None]]:
    """(group, package, program or None) of every entry, comments dropped."""
    entries: list[tuple[str, str, str | None]] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        assert len(fields) in (2, 3), f"{path.name}:{number}: group, package [, program]"
        grp, package, *program = fields
        entries.append((grp, package, program[0] if program else None))
    return entries


def group(name: str, path: Path = PACKAGES) -> list[str]:
    return [package for g, package, _ in package_list(path) if g == name]


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each instruction, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    found: list[tuple[str, str]] = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            head, _, rest = line.strip().partition(" ")
            found.append((head.upper(), rest.strip()))
    return found


def runtime_stage() -> list[tuple[str, str]]:
    """The instructions of the Dockerfile's last stage: the image that runs Kinboard."""
    steps = instructions(DOCKERFILE.read_text())
    last_from = max(n for n, (head, _) in enumerate(steps) if head == "FROM")
    return steps[last_from + 1 :]


def test_the_package_list_is_well_formed() -> None:
    entries = package_list()
    packages = [package for _, package, _ in entries]
    assert len(set(packages)) == len(packages), "a package is listed twice"
    for grp, package, program in entries:
        assert grp in GROUPS, f"{package}: unknown group {grp!r}"
        assert re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", package), f"not a Debian name: {package}"
        assert program is None or re.fullmatch(r"[\w./+-]+", program), program
    assert {"libpango-1.0-0", "libpangoft2-1.0-0"} <= set(group("runtime")), "WeasyPrint"


def test_the_image_installs_exactly_the_runtime_group_from_the_list(tmp_path: Path) -> None:
    """The runtime stage's own RUN, run by sh as Docker would, with apt-get and rm recorded
    instead of run, against a copy of the list with one more runtime package: it installs
    what the file says, so it reads the file."""
    stage = runtime_stage()
    heads = [head for head, _ in stage]
    copied = [
        (n, shlex.split(args))
        for n, (head, args) in enumerate(stage)
        if head == "COPY" and "deploy/debian-packages.txt" in shlex.split(args)
    ]
    assert len(copied) == 1, "the runtime stage COPYs deploy/debian-packages.txt once"
    copy_at, (*_, destination) = copied[0]
    installs = [n for n, (head, args) in enumerate(stage) if head == "RUN" and "apt-get" in args]
    assert len(installs) == 1, "one RUN in the runtime stage installs the Debian packages"
    run_at = installs[0]
    assert copy_at < run_at < heads.index("USER"), "copied, then installed as root"
    command = stage[run_at][1]
    assert "--no-install-recommends" in command
    assert "rm -rf /var/lib/apt/lists/*" in command, "the apt lists are not left in the image"
    for package in group("runtime"):
        assert package not in DOCKERFILE.read_text(), f"{package} is named in the Dockerfile"
    # Recording stubs stand in for apt-get and rm, found first on PATH: nothing may name a
    # program by its path, or the real one would run here.
    assert not re.search(r"(^|[\s;&|(])/(usr/)?s?bin/", command), command

    listed = tmp_path / "debian-packages.txt"
    listed.write_text(PACKAGES.read_text() + "runtime  kinboard-added-package\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"
    for program in ("apt-get", "rm"):
        stub = bin_dir / program
        stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "{program} $*" >> "{log}"\n')
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["/bin/sh", "-c", command.replace(destination, str(listed))],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "apt-get update", calls
    install = next(shlex.split(c) for c in calls if c.startswith("apt-get install"))
    packages = [arg for arg in install[2:] if not arg.startswith("-")]
    assert packages == group("runtime", listed), "exactly the runtime group, from the file"
    assert "kinboard-added-package" in packages
    removed = next(shlex.split(c)[1:] for c in calls if c.startswith("rm "))
    assert str(listed) in removed, "the copied list is not left in the image"


def need_dpkg() -> None:
    if not shutil.which("dpkg-query"):
        pytest.skip("not a Debian machine (no dpkg-query)")


def list_missing(root: Path) -> list[str]:
    done = subprocess.run(
        ["bash", str(root / ".ci" / "run"), "--list-missing"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_ci_run_installs_what_the_list_has_and_the_machine_lacks(tmp_path: Path) -> None:
    """.ci/run's own package selection, in its --list-missing dry run, beside a list made
    here: a package counts as there when dpkg has it, or when its program is there."""
    need_dpkg()
    (tmp_path / ".ci").mkdir()
    shutil.copy(CI_RUN, tmp_path / ".ci" / "run")
    (tmp_path / "deploy").mkdir()
    tool = tmp_path / "tool"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    (tmp_path / "deploy" / "debian-packages.txt").write_text(
        "# a comment, then a blank line\n"
        "\n"
        "runtime  dpkg\n"
        "runtime  kinboard-absent-a\n"
        "test     kinboard-absent-b   /nonexistent/kinboard-b\n"
        "test     kinboard-absent-c   kinboard-no-such-program  # a comment\n"
        "test     kinboard-absent-d   sh\n"
        f"test     kinboard-absent-e   {tool}\n"
    )
    assert list_missing(tmp_path) == ["kinboard-absent-a", "kinboard-absent-b", "kinboard-absent-c"]


def test_ci_run_takes_its_packages_from_the_list() -> None:
    need_dpkg()
    listed = {package for _, package, _ in package_list()}
    missing = list_missing(ROOT)
    assert set(missing) <= listed, f"not in the list: {set(missing) - listed}"
    installed = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status} ${Package}\\n", *listed],
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    for line in installed:
        status, _, package = line.partition(" ")
        if status == "installed":
            assert package not in missing, f"{package} is installed, yet .ci/run installs it"


def css_families() -> list[list[str]]:
    """The font families of each `font-family` (or `font` shorthand) in the minutes CSS."""
    found: list[list[str]] = []
    css = re.sub(r"/\*.*?\*/", "", MINUTES_CSS.read_text(), flags=re.S)
    for prop, value in re.findall(r"(font-family|font)\s*:\s*([^;}]+)", css):
        if prop == "font":  # the families follow the size: `600 9pt sans-serif`
            value = re.split(r"[\d.]+(?:pt|px|em|rem|%)(?:/\S+)?\s+", value, maxsplit=1)[-1]
        found.append([f.strip().strip("\"'") for f in value.split(",")])
    assert found, "templates/minutes.css names no font"
    # The minutes' hash is a <code>, in the user agent stylesheet's monospace.
    return [*found, ["monospace"]]


def installed_family(families: list[str]) -> str | None:
    """The first of `families` fontconfig has (a generic family it always has)."""
    for family in families:
        if family in GENERIC_FAMILIES or fc("fc-list", f":family={family}", "-f", "%{family}"):
            return family
    return None


def fc(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()


def letters(font_name: str) -> str:
    """Letters and digits only, without "Regular": WeasyPrint writes DejaVu-Sans-Bold for
    DejaVuSans-Bold, and Noto-Naskh-Arabic for NotoNaskhArabic-Regular."""
    return re.sub(r"Regular$", "", re.sub(r"[^A-Za-z0-9]", "", font_name))


def owner(path: str) -> str:
    """The Debian package a file comes from."""
    answer = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True)
    return answer.stdout.split(":", 1)[0] if answer.returncode == 0 else f"no package ({path})"


def pdf_fonts(data: bytes) -> set[str]:
    """The fonts a PDF embeds, without their subset prefix (`ABCDEF+DejaVuSans`)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


async def test_the_runtime_group_renders_the_minutes_pdf_in_the_fonts_it_names(
    tmp_path: Path,
) -> None:
    """With the runtime group installed, the fonts the minutes CSS asks for come from it, and
    a real server's minutes PDF embeds them (WeasyPrint falls back to anything it finds)."""
    need_dpkg()
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig's programs are not installed (the list's test group has them)")
    runtime = group("runtime")
    states = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status}\\n", *runtime], capture_output=True, text=True
    ).stdout.split()
    assert states == ["installed"] * len(runtime), f"install {runtime} (.ci/run does)"

    used: dict[
        str, str
    ] = {}  # PostScript name -> file, of each font the CSS gets in each weight it uses
    for families in css_families():
        family = installed_family(families)
        assert family, f"no font installed for {families}"
        for weight in ("regular", "bold"):
            path = fc("fc-match", "-f", "%{file}", f"{family}:weight={weight}")
            assert owner(path) in runtime, f"{family} ({weight}): {path} is from {owner(path)}"
            used[letters(fc("fc-query", "-f", "%{postscriptname}", path))] = path

    server = ServerProcess(tmp_path).start()
    try:
        meeting = create_meeting(server.url, "Family meeting for Ava")
        facilitator = await Client.join(server.url, meeting["links"]["facilitator"], "Priya")
        try:
            for op, fields in [
                ("card.add", {"section": "strengths", "text": "Gran walks them to school"}),
                ("minutes.take", {"label": "End of meeting"}),
            ]:
                ack = await facilitator.op(op, **fields)
                assert ack["ok"] is True, (op, ack)
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                answer = await http.get(
                    f"/m/{meeting['id']}/minutes/1.pdf", headers={"Cookie": facilitator.cookie}
                )
        finally:
            await facilitator.close()
    finally:
        server.stop()
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-"), server.log()
    embedded = pdf_fonts(answer.content)
    assert embedded, "the PDF embeds no font"
    assert {letters(name) for name in embedded} <= set(used), f"{embedded}, not {used}"
