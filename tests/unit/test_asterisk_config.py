"""config/asterisk matches the code: queue names, AGI scripts, recording paths, the manager account."""

from __future__ import annotations

import configparser
import re

import yaml

from hotline.core.settings import Settings
from hotline.telephony.asterisk_check import check_config
from hotline.telephony.asterisk_conf import read_conf
from tests.conftest import CONFIG_DIR, ROOT
from tests.shipped import shipped_config

ASTERISK = CONFIG_DIR / "asterisk"
IVR = shipped_config().ivr


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
    dialplan = read("extensions.conf")
    assert f"MixMonitor({IVR.record.dir}/${{UNIQUEID}}.wav," in dialplan


def test_each_direction_of_a_call_is_recorded_apart_in_step_and_named_for_its_speaker():
    inbound = read("extensions.conf").split("[hotline-in]", 1)[1].split("\n[", 1)[0]
    assert f"HOTLINE_REC_CITIZEN={IVR.record.dir}/${{UNIQUEID}}-in.wav" in inbound
    assert f"HOTLINE_REC_OPERATOR={IVR.record.dir}/${{UNIQUEID}}-out.wav" in inbound
    # on the citizen's channel: receive = the citizen's words, transmit = what they hear; S keeps both in step
    assert ",Sr(${HOTLINE_REC_CITIZEN})t(${HOTLINE_REC_OPERATOR}))" in inbound
    assert "StopMixMonitor()" in inbound


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
    context = shipped_config().desk.callback_dial.context
    dialplan = read("extensions.conf")
    section = dialplan.split(f"[{context}]", 1)[1].split("\n[", 1)[0]
    assert "MixMonitor(" in section and "${CHANNEL(linkedid)}.wav" in section and "Dial(" in section


def test_the_shipped_files_pass_the_check_with_only_placeholders_to_fill():
    settings = Settings()
    findings = check_config(ASTERISK, IVR, settings.ami_username, settings.ami_secret.get_secret_value())
    assert [f for f in findings if f.level == "error"] == []
    assert {f.where for f in findings} == {"manager.conf:13", "pjsip.conf:23", "pjsip.conf:29", "pjsip.conf:51",
                                           "pjsip.conf:59"}  # each a line marked PLACEHOLDER
    assert all("placeholder" in f.message for f in findings)


def test_hold_has_music_for_the_citizen_a_wait_for_the_operator_and_both_hang_up_after_the_call(tmp_path):
    conf = read_conf(ASTERISK / "extensions.conf")
    hold, holding = conf.section("hotline-hold"), conf.section("hotline-holding")
    assert hold.all("exten")[0].startswith("s,1,MusicOnHold(") and holding.all("exten")[0].startswith("s,1,Wait(")
    # AMI Bridge sends each leg on to the priority after the one it waited in once the call ends: a hang-up
    assert hold.all("same")[0] == holding.all("same")[0] == "n,Hangup()"
    assert "h,1,StopMixMonitor()" in hold.all("exten")  # the recording is closed however the call ends
    without = tmp_path / "asterisk"
    without.mkdir()
    for f in ASTERISK.iterdir():
        text = f.read_text()
        (without / f.name).write_text(text.replace("[hotline-hold]", "[hotline-hold-gone]") if
                                      f.name == "extensions.conf" else text)
    settings = Settings()
    findings = check_config(without, IVR, settings.ami_username, settings.ami_secret.get_secret_value())
    assert [f.level for f in findings if "保持" in f.message] == ["warning"]


def test_the_hang_up_extension_closes_the_recording_so_asterisk_announces_it():
    hangup = read_conf(ASTERISK / "extensions.conf").section("hotline-in").all("same")
    assert "n,StopMixMonitor()" in hangup  # MixMonitorStop is sent by StopMixMonitor only (lab i-mixmonitor)


def test_compose_publishes_sip_and_exactly_the_rtp_range_and_keeps_ami_and_agi_inside():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    rtp = read_conf(ASTERISK / "rtp.conf").section("general")
    published = [p for service in compose["services"].values() for p in service.get("ports", [])]
    assert "5060:5060/udp" in published
    assert f"{rtp.get('rtpstart')}-{rtp.get('rtpend')}:{rtp.get('rtpstart')}-{rtp.get('rtpend')}/udp" in published
    assert not [p for p in published if re.search(r"\b(5038|4573)\b", p)]  # AMI and FastAGI stay on the network


def test_compose_mounts_every_asterisk_file_and_shares_recordings_prompts_cdrs_and_var():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    asterisk, agi = compose["services"]["asterisk"], compose["services"]["agi"]
    mounted = {v.split(":")[0] for v in asterisk["volumes"]}
    assert {f"./config/asterisk/{p.name}" for p in ASTERISK.glob("*.conf")} <= mounted
    env = agi["environment"]
    targets = {v.split(":")[0]: v.split(":")[1] for v in agi["volumes"]}
    asterisk_targets = {v.split(":")[0]: v.split(":")[1] for v in asterisk["volumes"]}
    assert asterisk_targets["recordings"] == IVR.record.dir and targets["recordings"] == env["HOTLINE_RECORDINGS_DIR"]
    assert asterisk_targets["prompts"] == f"/var/lib/asterisk/sounds/{IVR.language}"
    assert targets["prompts"] == f"{env['HOTLINE_ASTERISK_SOUNDS_DIR']}/{IVR.language}"
    custom = read_conf(ASTERISK / "cdr_custom.conf").sections[0].name
    assert asterisk_targets["cdr"] == "/var/log/asterisk/cdr-custom" and env["HOTLINE_CDR_FILE"] == f"{targets['cdr']}/{custom}"
    assert targets["hotline-var"] == env["HOTLINE_VAR_DIR"]  # evidence and keys outlive the container
    assert "hotline asterisk check --ami" in " ".join(compose["services"]["ami"]["command"])
