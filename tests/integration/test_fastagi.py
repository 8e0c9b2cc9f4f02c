"""The FastAGI server over real TCP with the database behind it, driven by a simulated Asterisk."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from hotline.ivr.fastagi import AgiServer
from hotline.ivr.services import DatabaseServices
from hotline.models import Recording, WorkOrder
from hotline.simulator.caller import SimulatedCaller
from hotline.simulator.fake import CAPTURES


def serve_and(ctx, session_factory, *callers: SimulatedCaller) -> AgiServer:
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
