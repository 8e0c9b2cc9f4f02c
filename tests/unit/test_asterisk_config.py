"""config/asterisk matches the code: queue names, AGI scripts, recording paths, the manager account."""

from __future__ import annotations

import configparser
import re

from hotline.core.config import load_config
from hotline.core.settings import Settings
from hotline.telephony.asterisk_check import check_config
from hotline.telephony.asterisk_conf import read_conf
from tests.conftest import CONFIG_DIR

ASTERISK = CONFIG_DIR / "asterisk"
IVR = load_config(CONFIG_DIR).ivr


def read(name: str) -> str:
    return (ASTERISK / name).read_text()


def test_the_ivr_queue_and_the_callback_queue_exist_in_queues_conf():
    sections = re.findall(r"^\[([^\]]+)\]", read("queues.conf"), re.M)
    assert IVR.queue in sections and "callback-queue" in sections
    assert f"Queue({IVR.queue}," in read("extensions.conf")


def test_dialplan_calls_the_agi_scripts_the_server_serves_and_queues_on_failure():
    dialplan = read("extensions.conf")
    assert "AGI(${HOTLINE_AGI}/ivr)" in dialplan and "/survey?callback=${HOTLINE_CALLBACK}&attempt=" in dialplan
    assert "HOTLINE_AGI = agi://agi:4573" in dialplan and Settings().agi_port == 4573
    inbound = read_conf(ASTERISK / "extensions.conf").section("hotline-in")
    lines = [line.value for line in inbound.lines if line.key in ("exten", "same")]
    steps = lines[:next(i for i, v in enumerate(lines) if v.startswith("h,"))]  # extension 12345, in order
    after = steps[next(i for i, v in enumerate(steps) if "AGI(" in v) + 1:]
    # only a message left ends the call after the IVR; an outage, a missing prompt, anything else is queued
    assert after == ['n,GotoIf($["${IVR_RESULT:0:9}" = "recorded:"]?done)', "n(queue),Queue(hotline-queue,tc,,,300)",
                     "n(done),Hangup()"]


def test_recordings_land_where_the_ivr_and_the_tracker_expect_them():
    assert f"MixMonitor({IVR.record.dir}/${{UNIQUEID}}.wav)" in read("extensions.conf")


def test_manager_account_matches_the_settings_and_filters_only_what_tracking_reads():
    manager = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
    manager.read_string(read("manager.conf").replace("eventfilter", "eventfilter_"), source="manager.conf")
    settings = Settings()
    assert manager[settings.ami_username]["secret"] == settings.ami_secret.get_secret_value()
    assert manager["general"]["port"] == str(settings.ami_port)
    from hotline.telephony.tracker import CallTracker
    tracker = CallTracker()
    filtered = set(re.findall(r"^eventfilter = Event: (\w+)", read("manager.conf"), re.M))
    assert set(tracker.handlers) - {"CoreShowChannel"} <= filtered
    assert set(tracker.agent_handlers) <= filtered


def test_the_shipped_files_pass_the_check_with_only_placeholders_to_fill():
    settings = Settings()
    findings = check_config(ASTERISK, IVR, settings.ami_username, settings.ami_secret.get_secret_value())
    assert [f for f in findings if f.level == "error"] == []
    assert {f.where for f in findings} == {"manager.conf:13", "pjsip.conf:23", "pjsip.conf:29", "pjsip.conf:51",
                                           "pjsip.conf:59"}  # each a line marked PLACEHOLDER
    assert all("placeholder" in f.message for f in findings)


def test_the_hang_up_extension_closes_the_recording_so_asterisk_announces_it():
    hangup = read_conf(ASTERISK / "extensions.conf").section("hotline-in").all("same")
    assert "n,StopMixMonitor()" in hangup  # MixMonitorStop is sent by StopMixMonitor only (lab i-mixmonitor)
