"""Stream UUIDs carry the call's Linkedid and side, are signed, and are UUIDs Asterisk's uuid_parse takes."""

from __future__ import annotations

import re
import uuid

import pytest

from hotline.listen.streamid import Direction, StreamId, StreamIdError, StreamIds

IDS = StreamIds(b"deployment secret")


@pytest.mark.parametrize("stream", [
    StreamId("1718000000.42", Direction.CITIZEN),
    StreamId("1718000000.42", Direction.OPERATOR),
    StreamId("4294967295.4294967295", Direction.OPERATOR, attempt=255),
    StreamId("0.0", Direction.CITIZEN, attempt=3),
])
def test_a_stream_uuid_reads_back_as_the_call_and_side_it_was_made_for(stream):
    made = IDS.encode(stream)
    assert IDS.decode(made) == stream
    assert IDS.decode(uuid.UUID(str(made))) == stream  # through the dial string and back as 16 bytes
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", str(made))


def test_the_two_sides_and_attempts_of_one_call_get_different_uuids():
    made = {IDS.encode(StreamId("1718000000.42", d, a)) for d in Direction for a in range(3)}
    assert len(made) == 6


def test_a_system_name_prefix_is_kept():
    named = StreamIds(b"s", system_name="pbx-a")
    stream = StreamId("pbx-a-1718000000.7", Direction.CITIZEN)
    assert named.decode(named.encode(stream)) == stream
    with pytest.raises(StreamIdError, match="not an Asterisk Uniqueid of this system"):
        named.encode(StreamId("pbx-b-1718000000.7", Direction.CITIZEN))


def test_a_uuid_from_elsewhere_or_tampered_with_is_refused():
    made = IDS.encode(StreamId("1718000000.42", Direction.CITIZEN))
    with pytest.raises(StreamIdError, match="not made by this deployment"):
        StreamIds(b"another secret").decode(made)
    flipped = uuid.UUID(int=made.int ^ (1 << 70))  # the Linkedid's counter changed, tag kept
    with pytest.raises(StreamIdError, match="tag mismatch"):
        IDS.decode(flipped)
    with pytest.raises(StreamIdError, match="not a hotline stream UUID"):
        IDS.decode(uuid.UUID("40325ec2-5efd-4bd3-805f-53576e581d13"))


@pytest.mark.parametrize("linkedid", ["", "abc", "1718000000", "1718000000.42.1", "99999999999.1"])
def test_what_is_not_an_asterisk_linkedid_cannot_be_encoded(linkedid):
    with pytest.raises(StreamIdError):
        IDS.encode(StreamId(linkedid, Direction.CITIZEN))
