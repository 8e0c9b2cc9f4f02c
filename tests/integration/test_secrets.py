"""The signing secret: a deployment refuses to start without a real one, compose ships none, and the
generated key of embedded mode is one key, never empty, however many processes start at once."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hotline.core import security
from hotline.core.errors import ConfigError
from hotline.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENTS = {"postgresql": {"database_url": "postgresql+psycopg://hotline@127.0.0.1:5432/hotline"},
               "redis": {"database_url": "sqlite:///var/hotline.db", "redis_url": "redis://127.0.0.1:6379/0"}}


@pytest.mark.parametrize("deployment", sorted(DEPLOYMENTS))
@pytest.mark.parametrize("secret", [None, "", "   ", "change-me", "CHANGE_ME", "change-me-change-me-change-me-123",
                                    "hotline", "s3cr3t-but-short", "a" * 40])
def test_a_deployment_refuses_a_missing_short_or_placeholder_secret(tmp_path, deployment, secret):
    settings = Settings(var_dir=tmp_path, secret_key=secret, **DEPLOYMENTS[deployment])
    with pytest.raises(ConfigError, match="HOTLINE_SECRET_KEY"):
        settings.secret()
    assert not (tmp_path / "secret.key").exists()  # no key of its own made up behind the operator's back


def test_a_real_secret_is_used_as_given(tmp_path):
    real = "9f2c1e7a4b8d0c3f6a5e2d1b7c9f0a3e"
    settings = Settings(var_dir=tmp_path, secret_key=real, **DEPLOYMENTS["postgresql"])
    assert settings.secret() == real.encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_api_process_will_not_start_on_the_compose_placeholder(tmp_path):
    port = free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": DEPLOYMENTS["postgresql"]["database_url"],
           "HOTLINE_SECRET_KEY": "change-me", "HOTLINE_VAR_DIR": str(tmp_path), "HOTLINE_CONFIG_DIR": str(ROOT / "config")}
    done = subprocess.run([sys.executable, "-m", "hotline.cli", "api", "--port", str(port)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "HOTLINE_SECRET_KEY" in done.stderr and "placeholder" in done.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_compose_ships_no_default_secret():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    value = yaml.safe_load(text)["x-hotline"]["environment"]["HOTLINE_SECRET_KEY"]
    assert value.startswith("${HOTLINE_SECRET_KEY:?")  # compose stops with the message when it is unset
    assert "change-me" not in text and ":-" not in value


def read_key(var_dir: str, start, keys) -> None:
    start.wait()
    try:
        keys.put(Settings(var_dir=Path(var_dir), secret_key=None).secret().decode())
    except Exception as exc:  # reported to the test rather than lost in the child
        keys.put(f"error: {exc}")


def test_three_processes_starting_together_agree_on_one_generated_key(tmp_path):
    fork = multiprocessing.get_context("fork")
    for trial in range(100):
        var_dir = tmp_path / f"trial-{trial}"
        start, keys = fork.Barrier(3), fork.Queue()
        children = [fork.Process(target=read_key, args=(str(var_dir), start, keys)) for _ in range(3)]
        for child in children:
            child.start()
        seen = [keys.get(timeout=30) for _ in children]
        for child in children:
            child.join(timeout=30)
        on_disk = (var_dir / "secret.key").read_text()
        assert seen == [on_disk] * 3, f"trial {trial}: {seen}"
        assert len(on_disk) == 64 and (var_dir / "secret.key").stat().st_mode & 0o077 == 0
        assert [p.name for p in var_dir.iterdir()] == ["secret.key"]  # no temporary file left behind


def test_an_empty_key_file_stops_the_process_instead_of_signing_with_nothing(tmp_path):
    (tmp_path / "secret.key").write_text("")
    with pytest.raises(ConfigError, match="no usable key"):
        Settings(var_dir=tmp_path, secret_key=None).secret()
    with pytest.raises(ValueError, match="empty secret"):
        security.issue(b"", 1, "access", security.dt.datetime.now(security.dt.UTC))
