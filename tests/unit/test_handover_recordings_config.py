"""Hand-over and recording settings agree with config/asterisk and hold their own rules: the dialplan
context and feature keys the hand-over uses, the events the listener must be sent, retention rules per
kind, months counted on the calendar, and which Range headers can be served."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from pydantic import ValidationError

from hotline.api.ranges import satisfiable
from hotline.core.config import load_config
from hotline.core.config_recordings import RecordingsFile, months_before
from hotline.core.errors import ConfigError
from hotline.core.settings import Settings
from hotline.telephony.asterisk_check import check_config
from hotline.telephony.asterisk_conf import read_conf
from tests.conftest import CONFIG_DIR
from tests.shipped import shipped_config

ASTERISK = CONFIG_DIR / "asterisk"
CONFIG = shipped_config()


def test_the_hand_over_context_dials_out_and_reports_how_the_far_end_answered():
    section = read_conf(ASTERISK / "extensions.conf").section(CONFIG.handover.context)
    assert section is not None
    lines = " ".join(line.value for line in section.lines)
    assert "Dial(PJSIP/${EXTEN}@trunk" in lines
    assert "UserEvent(HotlineHandover,Dialled: ${HANDOVER_EXTEN},DialStatus: ${DIALSTATUS})" in lines
    # connected the moment the far end answers (Dial's U() on its channel), not when the whole call ends
    assert "U(hotline-handover-answered^${EXTEN})" in lines
    answered = read_conf(ASTERISK / "extensions.conf").section("hotline-handover-answered")
    assert answered is not None
    assert answered.lines[0].value == \
        "s,1,UserEvent(HotlineHandover,Dialled: ${ARG1},DialStatus: ANSWER)"
    assert "StopMixMonitor()" in lines  # a citizen handed on blind never returns to hotline-in's h


def test_features_conf_has_the_keys_the_hand_over_presses():
    features = read_conf(ASTERISK / "features.conf")
    assert features.section("featuremap").get("atxfer")
    assert features.section("general").get("atxferthreeway") == CONFIG.handover.threeway_code
    assert features.section("general").get("atxferdropcall") == "no"  # hanging up completes, never drops
    # an announcement Asterisk cannot play (pbx-transfer: no Chinese sound package) aborts every Atxfer
    assert features.section("general").get("transferannouncesound") == ""


def test_the_check_notices_a_manager_filter_dropping_transfer_events_and_a_missing_atxfer_key(tmp_path):
    folder = tmp_path / "asterisk"
    shutil.copytree(ASTERISK, folder)
    manager = folder / "manager.conf"
    manager.write_text("\n".join(line for line in manager.read_text().splitlines()
                                 if "BlindTransfer" not in line))
    (folder / "features.conf").write_text("[general]\n[featuremap]\n")
    settings = Settings()
    found = [str(f) for f in check_config(folder, CONFIG.ivr, settings.ami_username,
                                          settings.ami_secret.get_secret_value())]
    assert any("eventfilter drops BlindTransfer" in f for f in found)
    assert any("no atxfer" in f for f in found) and any("no atxferthreeway" in f for f in found)


def test_duty_phones_must_name_known_departments(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder)
    (folder / "handover.yaml").write_text("duty_phones:\n  NO-SUCH: {name: 值班室, phone: '06350000000'}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert any("duty_phones.NO-SUCH" in p for p in caught.value.details)


def test_every_recording_kind_needs_a_retention_rule():
    with pytest.raises(ValidationError, match="retention missing for: message"):
        RecordingsFile(retention={"call": {"months": 6}})
    with pytest.raises(ValidationError, match="months or days, not both"):
        RecordingsFile(retention={"call": {"months": 6, "days": 3}, "message": {"days": 1}})
    assert CONFIG.recordings.departments_may_listen is False  # departments hear nothing unless switched on


@pytest.mark.parametrize(("at", "expected"), [
    ("2026-08-31T10:00:00+00:00", "2026-02-28T10:00:00+00:00"),  # February has no 31st
    ("2028-08-30T00:00:00+00:00", "2028-02-29T00:00:00+00:00"),  # a leap year's last day
    ("2027-01-15T05:00:00+00:00", "2026-07-15T05:00:00+00:00"),  # across a year
    ("2026-12-01T00:00:00+00:00", "2026-06-01T00:00:00+00:00"),
])
def test_months_are_counted_on_the_calendar(at, expected):
    assert months_before(dt.datetime.fromisoformat(at), 6) == dt.datetime.fromisoformat(expected)


@pytest.mark.parametrize(("header", "ok"), [
    ("bytes=0-0", True), ("bytes=99-", True), ("bytes=-1", True), ("bytes=-500", True), ("bytes=90-500", True),
    ("bytes=0-1, 5-6", True), ("bytes=100-", False), ("bytes=100-200", False), ("bytes=5-2", False),
    ("bytes=-0", False), ("bytes=-", False), ("bytes=a-b", False), ("bytes=", False), ("bytes=0-1,100-", False),
])
def test_which_byte_ranges_a_100_byte_file_can_satisfy(header, ok):
    assert satisfiable(header, 100) is ok
