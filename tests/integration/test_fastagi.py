"""The FastAGI server over real TCP with the database behind it, driven by a simulated Asterisk."""

from __future__ import annotations

import asyncio
import itertools
import re
import shutil

import pytest
from sqlalchemy import select

from hotline.ivr.fastagi import AgiServer
from hotline.ivr.services import DatabaseServices
from hotline.models import Citizen, Recording, WorkOrder
from hotline.runtime.context import build_context
from hotline.simulator.agi_replay import AgiReplay
from hotline.simulator.caller import SimulatedCaller
from hotline.simulator.capture import CAPTURES

RECORD = 'RECORD FILE /var/spool/asterisk/monitor/msg-{} wav "#" 120000 0 s=3'


@pytest.fixture
def agi_ctx(settings, clock, config, tmp_path):
    """Recordings land in a directory of this test (Asterisk's monitor directory as hotline sees it)."""
    return build_context(settings.model_copy(update={"recordings_dir": tmp_path / "monitor"}), clock=clock,
                         config=config)


def orders(session_factory) -> list[WorkOrder]:
    with session_factory() as s:
        return list(s.scalars(select(WorkOrder)))


def serve_and(ctx, session_factory, *callers: SimulatedCaller | AgiReplay) -> AgiServer:
    server = AgiServer(ctx.config.ivr, DatabaseServices(ctx, session_factory), ctx.settings.timezone,
                       now=ctx.clock.now)

    async def main():
        tcp = await server.serve("127.0.0.1", 0)
        port = tcp.sockets[0].getsockname()[1]
        for caller in callers:
            await caller.call("127.0.0.1", port)
        for _ in range(500):  # the server finishes its side after the caller has gone
            if len(server.outcomes) == len(callers):
                break
            await asyncio.sleep(0.01)
        tcp.close()
        await tcp.wait_closed()

    asyncio.run(main())
    return server


def test_message_left_becomes_a_received_order_with_its_recording(ctx, session_factory, tmp_path):
    caller = SimulatedCaller(operators_ready=0, recordings_dir=ctx.settings.recordings_dir)
    server = serve_and(ctx, session_factory, caller)
    assert server.outcomes[-1][1] == "recorded"
    commands = [c for c, _ in caller.transcript]
    assert commands[0] == 'STREAM FILE custom/hotline-privacy "2"'
    assert 'RECORD FILE /var/spool/asterisk/monitor/msg-1795257454.2 wav "#" 120000 0 s=3' in commands
    with session_factory() as s:
        order = s.scalars(select(WorkOrder)).one()
        recording = s.scalars(select(Recording)).one()
    assert (order.state, order.channel, order.source_id) == ("received", "phone", "1795257454.2")
    assert recording.work_order_id == order.id and recording.kind == "message"
    assert recording.path.endswith("msg-1795257454.2.wav")
    assert (ctx.settings.recordings_dir / "msg-1795257454.2.wav").read_bytes()[:4] == b"RIFF"
    said = [c for c in commands if c.startswith("SAY DIGITS")]
    assert said[0] == f'SAY DIGITS {order.ticket_no.replace("-", "")} ""' and len(said[1].split()[2]) == 6
    assert caller.variables["IVR_RESULT"] == "recorded:/var/spool/asterisk/monitor/msg-1795257454.2.wav"


def test_the_code_read_out_opens_the_status_line(ctx, session_factory):
    first = SimulatedCaller(operators_ready=0)
    serve_and(ctx, session_factory, first)
    said = [c.split()[2] for c, _ in first.transcript if c.startswith("SAY DIGITS")]
    ticket, code = said
    second = SimulatedCaller(uniqueid="1795257999.1", operators_ready=1,
                             press_during={"custom/hotline-privacy": "2"},
                             answers={"custom/enter-ticket": [ticket], "custom/enter-code": [code]})
    server = serve_and(ctx, session_factory, second)
    assert server.outcomes[-1][2] == ["privacy", "status", "status received", "queue"]
    assert second.variables["IVR_RESULT"] == "queue"


def test_operator_free_goes_straight_to_the_queue_and_no_order_is_made(ctx, session_factory):
    caller = SimulatedCaller(operators_ready=2)
    serve_and(ctx, session_factory, caller)
    assert caller.variables == {"IVR_RESULT": "queue"}
    with session_factory() as s:
        assert s.scalars(select(WorkOrder)).all() == []


def test_caller_hanging_up_mid_flow_ends_the_session_cleanly(ctx, session_factory):
    caller = SimulatedCaller(operators_ready=0, hang_up_after=2)
    server = serve_and(ctx, session_factory, caller)
    assert server.outcomes[-1][1] == "hangup"
    with session_factory() as s:
        assert s.scalars(select(WorkOrder)).all() == []


@pytest.mark.parametrize("garbage", [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\xff\xfe\n\n", b""])
def test_something_that_is_not_asterisk_is_turned_away(ctx, session_factory, garbage):
    server = AgiServer(ctx.config.ivr, DatabaseServices(ctx, session_factory), ctx.settings.timezone)

    async def main():
        tcp = await server.serve("127.0.0.1", 0)
        reader, writer = await asyncio.open_connection("127.0.0.1", tcp.sockets[0].getsockname()[1])
        writer.write(garbage)
        writer.write_eof()
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed, nothing sent
        tcp.close()

    asyncio.run(main())
    assert server.outcomes == []


def test_commands_have_the_shape_of_the_captured_asterisk_exchange():
    captured = (CAPTURES / "ivr-agi.fastagi.txt").read_text().splitlines()
    sent = [line[2:] for line in captured if line.startswith("> ")]
    assert sent[2].startswith("RECORD FILE /var/spool/asterisk/monitor/") and sent[2].endswith('wav "#" 20000 0 s=3')
    headers = SimulatedCaller().headers().decode().splitlines()
    assert [h.split(":")[0] for h in headers if h] == [line[2:].split(":")[0] for line in captured
                                                       if line.startswith("< agi_")]


def test_a_caller_who_speaks_then_hangs_up_leaves_an_order(agi_ctx, session_factory):
    """Lab b-fastagi/1: `200 result=-1 (hangup) endpos=172000`, then HANGUP; the speech is in the file."""
    caller = SimulatedCaller(uniqueid="1796002494.0", record_ends="hangup", recordings_dir=agi_ctx.settings.recordings_dir)
    server = serve_and(agi_ctx, session_factory, caller)
    [order] = orders(session_factory)
    assert server.outcomes[-1][1] == "recorded" and order.source_id == "1796002494.0"
    commands = [c for c, _ in caller.transcript]
    after = commands[commands.index(RECORD.format("1796002494.0")) + 1:]
    assert after == ['SET VARIABLE IVR_RESULT "recorded:/var/spool/asterisk/monitor/msg-1796002494.0.wav"']
    assert caller.transcript[-1][1] == "200 result=1"  # a dead channel still takes SET VARIABLE


def test_a_silent_caller_makes_no_order_and_leaves_no_file(agi_ctx, session_factory):
    """Lab b-fastagi/3: silence ends RECORD FILE with `(timeout) endpos=8160` and a 1.02 s near-silent file."""
    monitor = agi_ctx.settings.recordings_dir
    caller = SimulatedCaller(uniqueid="1796002592.2", message=None, recordings_dir=monitor)
    server = serve_and(agi_ctx, session_factory, caller)
    assert orders(session_factory) == [] and server.outcomes[-1][1] == "queue"
    assert caller.variables["IVR_RESULT"] == "queue" and not (monitor / "msg-1796002592.2.wav").exists()


def test_silent_callers_in_a_burst_make_no_orders(agi_ctx, session_factory):
    """Nine silent callers in a lab burst made nine orders."""
    monitor = agi_ctx.settings.recordings_dir
    callers = [SimulatedCaller(uniqueid=f"1796002600.{n}", message=None, recordings_dir=monitor) for n in range(9)]
    server = serve_and(agi_ctx, session_factory, *callers)
    assert orders(session_factory) == [] and [o for _, o, _ in server.outcomes] == ["queue"] * 9
    assert list(monitor.iterdir()) == []


def test_a_caller_who_sent_no_audio_and_hung_up_makes_nothing(agi_ctx, session_factory):
    """Lab b-fastagi/5: `200 result=-1 (hangup) endpos=0` and a 44-byte WAV header."""
    monitor = agi_ctx.settings.recordings_dir
    caller = SimulatedCaller(uniqueid="1796002633.4", message=None, record_ends="hangup", recordings_dir=monitor)
    server = serve_and(agi_ctx, session_factory, caller)
    assert orders(session_factory) == [] and server.outcomes[-1][1] == "hangup" and "IVR_RESULT" not in caller.variables
    assert not (monitor / "msg-1796002633.4.wav").exists()


@pytest.mark.parametrize("missing", ["custom/hotline-privacy", "custom/leave-message"])
def test_a_missing_prompt_never_drops_the_caller(agi_ctx, session_factory, missing):
    """Lab c-sound-formats: a missing prompt answers `200 result=-1 endpos=0`, like a hang-up, but no HANGUP."""
    caller = SimulatedCaller(missing_prompts={missing}, recordings_dir=agi_ctx.settings.recordings_dir)
    server = serve_and(agi_ctx, session_factory, caller)
    assert server.outcomes[-1][1] == "queue" and caller.variables["IVR_RESULT"] == "queue"
    assert ("NOOP", "200 result=0") in caller.transcript and orders(session_factory) == []


def test_a_hang_up_during_a_prompt_ends_the_call_quietly(agi_ctx, session_factory):
    """Lab b-fastagi/4: `200 result=-1 endpos=32000`, then HANGUP: the probe's answer follows the HANGUP line."""
    caller = SimulatedCaller(hang_up_during="custom/hotline-privacy")
    server = serve_and(agi_ctx, session_factory, caller)
    assert server.outcomes[-1][1] == "hangup" and "IVR_RESULT" not in caller.variables
    assert [c for c, _ in caller.transcript] == ['STREAM FILE custom/hotline-privacy "2"', "NOOP"]


def test_an_e164_caller_id_keeps_the_citizen(agi_ctx, session_factory):
    """Lab g-e164-callerid: `agi_callerid: +8613800138077` arrives untouched."""
    serve_and(agi_ctx, session_factory, SimulatedCaller(caller="+8613800138077",
                                                        recordings_dir=agi_ctx.settings.recordings_dir))
    with session_factory() as s:
        assert [c.phone for c in s.scalars(select(Citizen))] == ["13800138077"]


def test_simulated_answers_are_the_ones_asterisk_gave_in_the_lab():
    def answers(name: str) -> dict[str, list[str]]:
        """Command verb → Asterisk's answers, from a lab transcript (`> ` sent to Asterisk, `< ` its answer)."""
        lines = [m.groups() for m in re.finditer(r"^\s*[\d.]+ ([<>]) ?(.*)$", (CAPTURES / name).read_text(), re.M)]
        out: dict[str, list[str]] = {}
        for (way, text), (next_way, reply) in itertools.pairwise(lines):
            if way == ">" and next_way == "<":
                out.setdefault(" ".join(text.split(" ")[:2]), []).append(reply)
        return out

    hung_up = answers("fastagi-speak-then-hangup.txt")
    assert hung_up["RECORD FILE"] == [SimulatedCaller(record_ends="hangup")._record("RECORD FILE /x/m wav")]
    assert answers("fastagi-speak-then-hash.txt")["RECORD FILE"] == [SimulatedCaller()._record("RECORD FILE /x/m wav")]
    assert answers("fastagi-silent-caller.txt")["RECORD FILE"] == [
        SimulatedCaller(message=None)._record("RECORD FILE /x/m wav")]
    assert answers("fastagi-no-audio-hangup.txt")["RECORD FILE"] == [
        SimulatedCaller(message=None, record_ends="hangup")._record("RECORD FILE /x/m wav")]
    assert answers("fastagi-hangup-during-prompt.txt")["STREAM FILE"] == [
        SimulatedCaller(hang_up_during="custom/hotline-privacy").answer('STREAM FILE custom/hotline-privacy "2"')]
    assert "200 result=-1 endpos=0" in answers("fastagi-sounds.txt")["STREAM FILE"]
    assert SimulatedCaller(missing_prompts={"custom/x"}).answer('STREAM FILE custom/x ""') == "200 result=-1 endpos=0"
    assert "< HANGUP" in (CAPTURES / "fastagi-speak-then-hangup.txt").read_text()


@pytest.mark.parametrize("transcript, outcome", [
    ("agi-i14-speak-then-hangup.txt", "recorded"),  # RECORD FILE (hangup), HANGUP, SET VARIABLE answered 200 result=1
    ("agi-i14-missing-prompt.txt", "queue"),  # STREAM FILE -1 endpos=0, NOOP answered with no HANGUP before it
    ("agi-i14-hangup-in-prompt.txt", "hangup"),  # STREAM FILE -1, HANGUP, then the NOOP's answer
])
def test_the_ivr_holds_the_exact_conversation_asterisk_had_with_it_in_the_lab(agi_ctx, session_factory, transcript,
                                                                               outcome):
    """Asterisk 22.10.1's own AGI debug log of these calls (lab run of this branch), replayed byte for byte."""
    replay = AgiReplay.load(CAPTURES / transcript)
    monitor = agi_ctx.settings.recordings_dir
    monitor.mkdir(parents=True)
    shutil.copyfile(CAPTURES / "agi-1795257454.2.wav", monitor / "msg-1796007428.0.wav")  # the caller's speech
    server = serve_and(agi_ctx, session_factory, replay)
    assert replay.complete(), replay.mismatch
    assert server.outcomes[-1][1] == outcome
    assert len(orders(session_factory)) == (1 if outcome == "recorded" else 0)
