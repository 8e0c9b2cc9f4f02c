"""config/asterisk matches the code: queue names, AGI scripts, recording paths, the manager account."""

from __future__ import annotations

import configparser
import re

from hotline.core.config import load_config
from hotline.core.settings import Settings
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
    assert '$["${AGISTATUS}" != "SUCCESS"]?queue' in dialplan  # an IVR outage still reaches an operator
    assert '$["${IVR_RESULT}" = "queue"]?queue' in dialplan


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


def test_the_callback_desks_dial_context_exists_and_records_under_the_linkedid():
    context = load_config(CONFIG_DIR).desk.callback_dial.context
    dialplan = read("extensions.conf")
    section = dialplan.split(f"[{context}]", 1)[1].split("\n[", 1)[0]
    assert "MixMonitor(" in section and "${CHANNEL(linkedid)}.wav" in section and "Dial(" in section
