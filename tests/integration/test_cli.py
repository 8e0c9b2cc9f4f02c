"""The `hotline` command, run as a user runs it: a real process with the real environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]


def hotline(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "hotline.cli", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def test_sla_due_prints_the_json_an_operator_reads():
    r = hotline("sla", "due", "--tier", "general", "--at", "2026-09-30T16:00:00+08:00")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"tier": "general", "received_at": "2026-09-30T16:00:00+08:00",
                                    "reply_due_at": "2026-10-11T00:00:00+08:00",
                                    "complete_due_at": "2026-10-14T00:00:00+08:00", "provisional": False}


def test_sla_due_in_an_unconfigured_year_is_provisional_and_warns():
    r = hotline("sla", "due", "--tier", "general", "--at", "2026-12-28T10:00:00+08:00")
    assert r.returncode == 0
    assert json.loads(r.stdout)["provisional"] is True
    assert "no holiday schedule for 2027" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--tier", "urgent", "--at", "2026-09-30T16:00:00+08:00"], "is not a valid Tier"),
    (["--tier", "general", "--at", "2026-09-30T16:00:00"], "needs a time zone offset"),
    (["--tier", "general", "--at", "1900-01-01T00:00:00+08:00"], "outside 2000–2099"),
])
def test_sla_due_refuses_bad_input(args, message):
    r = hotline("sla", "due", *args)
    assert r.returncode == 2 and message in r.stderr


def test_config_check_names_the_file_and_key(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    assert hotline("config", "check", env={"HOTLINE_CONFIG_DIR": str(config)}).returncode == 0
    sla = config / "sla.yaml"
    sla.write_text(sla.read_text(encoding="utf-8").replace("warn_fraction: 0.8", "warn_fraction: 2"),
                   encoding="utf-8")
    r = hotline("config", "check", env={"HOTLINE_CONFIG_DIR": str(config)})
    assert r.returncode == 1
    assert f"{sla}: warn_fraction: Input should be less than 1" in r.stderr


def test_db_upgrade_creates_the_schema_and_loads_departments(tmp_path):
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HOTLINE_VAR_DIR": str(tmp_path)}
    r = hotline("db", "upgrade", env=env)
    assert r.returncode == 0, r.stderr
    assert "101 created" in r.stdout
    again = hotline("db", "upgrade", env=env)
    assert "0 created, 0 updated, 0 retired, 101 active" in again.stdout


def test_worker_without_redis_says_what_to_do():
    r = hotline("worker", env={"HOTLINE_REDIS_URL": ""})
    assert r.returncode == 2 and "HOTLINE_REDIS_URL is not set" in r.stderr


def test_outbox_resend_delivers_on_embedded_defaults(tmp_path):
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HOTLINE_VAR_DIR": str(tmp_path),
           "HOTLINE_REDIS_URL": ""}
    assert hotline("db", "upgrade", env=env).returncode == 0
    import sqlite3

    with sqlite3.connect(tmp_path / "h.db") as db:
        db.execute("INSERT INTO outbox (dedupe_key, channel, recipient, subject, body, status, attempts, created_at)"
                   " VALUES ('lost:1:sms', 'sms', 'department:371500-WATER', '主题', '正文', 'failed', 8,"
                   " '2026-11-21 00:00:00')")
    r = hotline("outbox", "resend", "--failed", env=env)
    assert r.returncode == 0 and "queued again: [1]" in r.stdout, r.stderr
    lines = (tmp_path / "notifications.log").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["key"] for x in lines] == ["lost:1:sms"]


def test_users_create_makes_an_account_that_can_log_in(tmp_path):
    from fastapi.testclient import TestClient

    from hotline.core.settings import Settings
    from hotline.runtime.api import create_app
    from hotline.runtime.context import build_context

    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HOTLINE_VAR_DIR": str(tmp_path),
           "HOTLINE_SECRET_KEY": TEST_SECRET}
    assert hotline("db", "upgrade", env=env).returncode == 0
    r = hotline("users", "create", "li.water", "--role", "department_staff", "--department", "371500-WATER",
                "--password", "a long enough password", env=env)
    assert r.returncode == 0 and "created li.water (department_staff)" in r.stdout, r.stderr
    bad = hotline("users", "create", "x.ops", "--role", "department_staff", "--password", "a long enough password",
                  env=env)
    assert bad.returncode == 1 and "needs a department" in bad.stderr
    settings = Settings(database_url=env["HOTLINE_DATABASE_URL"], var_dir=tmp_path, secret_key=TEST_SECRET,
                        config_dir=ROOT / "config")
    with TestClient(create_app(build_context(settings))) as api:
        login = api.post("/api/v1/auth/login", json={"username": "li.water", "password": "a long enough password"})
    assert login.status_code == 200


def test_stats_report_prints_rates_and_ranking_and_refuses_a_bad_month(tmp_path):
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}", "HOTLINE_VAR_DIR": str(tmp_path)}
    assert hotline("db", "upgrade", env=env).returncode == 0
    r = hotline("stats", "report", "--month", "2026-11", env=env)
    assert r.returncode == 0, r.stderr
    assert "全市  2026-11-01 … 2026-11-30" in r.stdout and "满意率" in r.stdout and "聊城市水务集团" in r.stdout
    as_json = json.loads(hotline("stats", "report", "--month", "2026-11", "--json", env=env).stdout)
    assert as_json["rates"]["counts"]["received"] == 0 and as_json["rates"]["rates"]["satisfaction_rate"] is None
    bad = hotline("stats", "report", "--month", "2026-13", env=env)
    assert bad.returncode == 1 and "is not a month" in bad.stderr
    rolled = hotline("stats", "rollup", "--from", "2026-11-01", "--to", "2026-11-03", env=env)
    assert rolled.returncode == 0 and "rolled up" in rolled.stdout


def test_ami_replay_prints_one_json_line_per_tracked_call():
    captures = ROOT / "hotline" / "simulator" / "captures"
    r = hotline("ami", "replay", str(captures / "queue-answered.ami"), str(captures / "ivr-agi.ami"), "--times", "3")
    assert r.returncode == 0, r.stderr
    calls = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(calls) == 6 and len({c["linkedid"] for c in calls}) == 6
    assert sorted(c["disposition"] for c in calls) == ["answered"] * 3 + ["message_left"] * 3
    same = hotline("ami", "replay", str(captures / "queue-abandon.ami"), "--no-fresh")
    assert [json.loads(line)["linkedid"] for line in same.stdout.splitlines()] == ["1795257533.8"]
    missing = hotline("ami", "replay", "nope.ami")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_ami_without_a_host_says_what_to_set():
    r = hotline("ami", env={"HOTLINE_AMI_HOST": ""})
    assert r.returncode == 2 and "HOTLINE_AMI_HOST" in r.stderr


def test_demo_accounts_are_made_once_and_can_log_in(tmp_path):
    import os
    import subprocess
    import sys

    from hotline.accounts.service import AccountService
    from hotline.cli import DEMO_ACCOUNTS, DEMO_PASSWORD
    from hotline.core.settings import Settings
    from hotline.runtime.boot import open_runtime
    from hotline.runtime.context import build_context

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {**os.environ, "HOTLINE_DATABASE_URL": url, "HOTLINE_VAR_DIR": str(tmp_path), "HOTLINE_SECRET_KEY": TEST_SECRET}
    subprocess.run([sys.executable, "-m", "hotline.cli", "db", "upgrade"], env=env, check=True, capture_output=True)
    code = "from hotline.cli.processes import seed_demo_accounts; seed_demo_accounts()"
    first = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert "demo accounts" in first.stdout and again.stdout == ""  # made once
    ctx = build_context(Settings(database_url=url, var_dir=tmp_path, secret_key=TEST_SECRET))
    with open_runtime(ctx).session_factory() as s:
        for username, *_ in DEMO_ACCOUNTS:
            assert AccountService(s, ctx).login(username, DEMO_PASSWORD).access_token
