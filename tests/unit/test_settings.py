"""Settings come only from the environment; a bad value stops start-up with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from server.redis_urls import cluster_parts, node_urls, sentinel_parts
from server.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.data_dir == Path("data")
    assert settings.redis_url is None
    assert settings.api_key is None
    assert settings.allowed_origins == ("http://127.0.0.1:8000",)
    assert settings.trusted_proxies == ()
    assert settings.redis_pool == 50


def test_trusted_proxies_are_addresses_or_networks() -> None:
    settings = Settings.from_env({"KINBOARD_TRUSTED_PROXIES": " 172.30.0.10, 10.1.2.3/24,fd00::1 "})
    assert settings.trusted_proxies == ("172.30.0.10/32", "10.1.2.0/24", "fd00::1/128")


def test_redis_sentinel_is_given_as_python_socketio_reads_it() -> None:
    url = "redis+sentinel://:secret@10.0.0.1:26379,10.0.0.2:26380/2/kinboard"
    settings = Settings.from_env({"REDIS_URL": url})
    assert settings.redis_url == url
    assert settings.redis_wait_replicas == 0
    assert sentinel_parts(url) == (
        [("10.0.0.1", 26379), ("10.0.0.2", 26380)],
        "kinboard",
        {"password": "secret", "db": 2},
    )


def test_a_redis_cluster_is_given_by_some_of_its_nodes() -> None:
    url = "redis+cluster://:secret@10.0.0.1:7000,10.0.0.2:7001"
    assert Settings.from_env({"REDIS_URL": url}).redis_url == url
    assert cluster_parts(url) == ([("10.0.0.1", 7000), ("10.0.0.2", 7001)], {"password": "secret"})
    # Socket.IO's broadcasts go through one node at a time.
    assert node_urls(url) == ["redis://:secret@10.0.0.1:7000/0", "redis://:secret@10.0.0.2:7001/0"]
    with pytest.raises(SettingsError, match="KINBOARD_REDIS_WAIT_REPLICAS"):
        Settings.from_env({"REDIS_URL": url, "KINBOARD_REDIS_WAIT_REPLICAS": "1"})


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "KINBOARD_HOST": "0.0.0.0",
            "KINBOARD_PORT": "9000",
            "KINBOARD_BASE_URL": "https://kinboard.example.org/",
            "KINBOARD_DATA_DIR": "/var/lib/kinboard",
            "REDIS_URL": "redis://redis:6379/0",
            "KINBOARD_API_KEY": "a" * 32,
            "KINBOARD_ALLOWED_ORIGINS": "https://kinboard.example.org, https://other.example.org/",
            "KINBOARD_REDIS_POOL": "80",
            "KINBOARD_REDIS_WAIT_REPLICAS": "1",
        }
    )
    assert settings.redis_pool == 80
    assert settings.redis_wait_replicas == 1
    assert (settings.host, settings.port) == ("0.0.0.0", 9000)
    assert settings.base_url == "https://kinboard.example.org"
    assert settings.data_dir == Path("/var/lib/kinboard")
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.api_key == "a" * 32
    assert settings.allowed_origins == (
        "https://kinboard.example.org",
        "https://other.example.org",
    )
    assert settings.secure_cookies


def test_idle_meetings_close_after_180_days_unless_set() -> None:
    assert Settings.from_env({}).idle_close_days == 180
    assert Settings.from_env({"KINBOARD_IDLE_CLOSE_DAYS": "15"}).idle_close_days == 15


def test_the_exit_page_leaves_for_a_weather_forecast_unless_set() -> None:
    assert Settings.from_env({}).exit_url == "https://www.bbc.co.uk/weather"
    assert (
        Settings.from_env({"KINBOARD_EXIT_URL": "  "}).exit_url == "https://www.bbc.co.uk/weather"
    )
    chosen = Settings.from_env({"KINBOARD_EXIT_URL": " https://www.metoffice.gov.uk/ "})
    assert chosen.exit_url == "https://www.metoffice.gov.uk/"


def test_the_accessibility_statement_names_the_operator_and_contact_when_set() -> None:
    assert Settings.from_env({}).operator is None
    assert Settings.from_env({}).accessibility_contact is None
    chosen = Settings.from_env(
        {
            "KINBOARD_OPERATOR": " Example Borough Council ",
            "KINBOARD_ACCESSIBILITY_CONTACT": " access@example.gov.uk ",
        }
    )
    assert chosen.operator == "Example Borough Council"
    assert chosen.accessibility_contact == "access@example.gov.uk"
    page = Settings.from_env({"KINBOARD_ACCESSIBILITY_CONTACT": "https://example.gov.uk/a11y"})
    assert page.accessibility_contact == "https://example.gov.uk/a11y"


def test_the_base_url_follows_host_and_port_and_sets_the_origin() -> None:
    settings = Settings.from_env({"KINBOARD_HOST": "10.0.0.5", "KINBOARD_PORT": "8080"})
    assert settings.base_url == "http://10.0.0.5:8080"
    assert settings.allowed_origins == ("http://10.0.0.5:8080",)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KINBOARD_PORT", "eighty"),
        ("KINBOARD_PORT", "70000"),
        ("KINBOARD_PORT", "0"),
        ("KINBOARD_HOST", " "),
        ("KINBOARD_BASE_URL", "kinboard.example.org"),
        ("KINBOARD_BASE_URL", "ftp://kinboard.example.org"),
        ("KINBOARD_BASE_URL", "https://kinboard.example.org/#x"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26379/0"),  # no service
        ("REDIS_URL", "redis+sentinel://:pw@10.0.0.1,10.0.0.2:26379/0/kinboard"),  # no port
        ("REDIS_URL", "redis+sentinel://:pw@10.0.0.1:26379/first/kinboard"),
        ("REDIS_URL", "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2/0"),  # no port
        ("REDIS_URL", "redis+cluster://:pw@10.0.0.1:7000/1"),  # a cluster has only db 0
        ("KINBOARD_REDIS_WAIT_REPLICAS", "one"),
        ("KINBOARD_REDIS_WAIT_REPLICAS", "1"),  # without REDIS_URL
        ("KINBOARD_API_KEY", "short"),
        ("KINBOARD_ALLOWED_ORIGINS", "kinboard.example.org"),
        ("KINBOARD_ALLOWED_ORIGINS", "https://kinboard.example.org/board"),
        ("KINBOARD_TRUSTED_PROXIES", "*"),
        ("KINBOARD_TRUSTED_PROXIES", "nginx"),
        ("KINBOARD_TRUSTED_PROXIES", "10.0.0.2, 10.0.0.300"),
        ("KINBOARD_REDIS_POOL", "0"),
        ("KINBOARD_IDLE_CLOSE_DAYS", "0"),
        ("KINBOARD_IDLE_CLOSE_DAYS", "half a year"),
        ("KINBOARD_IDLE_CLOSE_DAYS", "14"),  # no shorter than the staff's warning
        ("KINBOARD_EXIT_URL", "www.bbc.co.uk/weather"),
        ("KINBOARD_EXIT_URL", "javascript:alert(1)"),
        ("KINBOARD_EXIT_URL", "https://"),
        ("KINBOARD_ACCESSIBILITY_CONTACT", "the council"),
        ("KINBOARD_ACCESSIBILITY_CONTACT", "javascript:alert(1)@x.org"),
        ("KINBOARD_ACCESSIBILITY_CONTACT", "someone@localhost"),
    ],
)
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({variable: value})
    assert variable in str(error.value)
    assert "\n" not in str(error.value)


def test_the_command_stops_with_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve"],
        cwd=ROOT,
        env={"KINBOARD_PORT": "eighty", "KINBOARD_DATA_DIR": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "KINBOARD_PORT" in result.stderr
