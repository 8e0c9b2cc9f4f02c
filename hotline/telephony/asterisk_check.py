"""`hotline asterisk check`: read config/asterisk/ and say what is missing or wrong before a call fails —
placeholders still in place, a carrier identified by a host name, options Asterisk 22 no longer knows,
modules switched off, the manager account or event filter not matching what call tracking reads, CDRs
the listener cannot read back, queues config/ivr.yaml names that do not exist."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hotline.core.config_ivr import IvrFile
from hotline.telephony.asterisk_conf import ConfFile, read_conf
from hotline.telephony.listener import TRANSFER_EVENTS
from hotline.telephony.pbx import HOLD_CONTEXT, HOLDING_CONTEXT
from hotline.telephony.tracker import CallTracker

FILES = ("asterisk", "modules", "extensions", "manager", "queues", "pjsip", "rtp", "musiconhold", "cdr",
         "cdr_custom", "cdr_manager", "features")
REQUIRED_MODULES = ("chan_pjsip", "res_agi", "app_queue", "app_mixmonitor", "res_musiconhold", "cdr_manager",
                    "cdr_custom", "res_cdrel_custom", "format_pcm", "format_wav")
LIVE_AUDIO_MODULES = ("res_audiosocket", "app_audiosocket", "chan_audiosocket")
GONE_QUEUE_OPTIONS = ("eventwhencalled", "eventmemberstatus", "monitor-type", "monitor-format", "membermacro")
CDR_FIELDS = ("linkedid", "uniqueid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata",
              "start(double)", "answer(double)", "end(double)", "billsec", "disposition", "userfield")


@dataclass(frozen=True)
class Finding:
    level: str  # error: a call will fail or be lost; warning: works, but not as a centre needs
    where: str  # file[:line]
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper():7} {self.where}: {self.message}"


def check_config(folder: Path, ivr: IvrFile, ami_username: str, ami_secret: str,
                 cdr_file: Path | None = None) -> list[Finding]:
    """Every problem found in the files, errors first."""
    absent = [f"{name}.conf" for name in FILES if not (folder / f"{name}.conf").is_file()]
    found = [Finding("error", str(folder / name), "missing") for name in absent]
    confs = {name: read_conf(folder / f"{name}.conf") for name in FILES if f"{name}.conf" not in absent}
    checks = {"pjsip": _pjsip, "modules": _modules, "queues": lambda c: _queues(c, ivr),
              "extensions": lambda c: _dialplan(c, ivr), "manager": lambda c: _manager(c, ami_username, ami_secret),
              "cdr": _cdr, "cdr_custom": lambda c: _cdr_custom(c, cdr_file), "cdr_manager": _cdr_manager,
              "features": _features}
    for name, conf in confs.items():
        found += _placeholders(conf)
        found += checks.get(name, lambda c: [])(conf)
    return sorted(found, key=lambda f: f.level != "error")


def _at(conf: ConfFile, number: int | None = None) -> str:
    return f"{conf.path.name}:{number}" if number else conf.path.name


def _placeholders(conf: ConfFile) -> list[Finding]:
    return [Finding("warning", _at(conf, line.number), f"{line.key} = {line.value} is a placeholder: "
                    f"{line.comment.split('PLACEHOLDER', 1)[1].strip(': ')}")
            for _, line in conf.lines() if "PLACEHOLDER" in line.comment]


def _pjsip(conf: ConfFile) -> list[Finding]:
    identify = next((s for s in conf.sections if s.get("type") == "identify" and s.get("endpoint") == "trunk"), None)
    if identify is None:
        return [Finding("error", _at(conf), "no identify section for the trunk: every inbound INVITE gets 401")]
    found = []
    for line in identify.lines:
        for match in (m.strip() for m in line.value.split(",") if line.key == "match" and m.strip()):
            try:
                ipaddress.ip_network(match.split(":")[0], strict=False)
            except ValueError:
                found.append(_host_match(conf, line.number, match))
    return [f for f in found if f is not None]


def _host_match(conf: ConfFile, number: int, host: str) -> Finding:
    try:
        socket.getaddrinfo(host, None)
    except OSError:
        return Finding("error", _at(conf, number), f"match = {host} does not resolve: Asterisk drops the identify "
                       "and rejects every inbound call; give the carrier's addresses")
    return Finding("warning", _at(conf, number), f"match = {host} is resolved once at load: a carrier that "
                   "moves is not followed; prefer addresses")


def _modules(conf: ConfFile) -> list[Finding]:
    section = conf.section("modules")
    if section is None:
        return [Finding("error", _at(conf), "no [modules] section")]
    off = {v.removesuffix(".so") for v in section.all("noload")}
    on = {v.removesuffix(".so") for key in ("load", "require", "preload", "preload-require") for v in section.all(key)}
    autoload = (section.get("autoload") or "no").lower() in ("yes", "true", "1")
    found = []
    for module in (*REQUIRED_MODULES, *LIVE_AUDIO_MODULES):
        if module in off or (not autoload and module not in on):
            needed = module in REQUIRED_MODULES
            found.append(Finding("error" if needed else "warning", _at(conf),
                                 f"{module} is not loaded{'' if needed else ' (live audio needs it)'}"))
    return found


def _queues(conf: ConfFile, ivr: IvrFile) -> list[Finding]:
    found = [Finding("warning", _at(conf, line.number), f"[{section.name}] {line.key}: Asterisk 22 no longer knows it")
             for section, line in conf.lines() if line.key.lower() in GONE_QUEUE_OPTIONS]
    named = {ivr.queue, "callback-queue"} | {q for queues in ivr.queues_by_role.values() for q in queues}
    found += [Finding("error", _at(conf), f"queue {q} (config/ivr.yaml) is not defined") for q in sorted(named)
              if conf.section(q) is None]
    return found


def _dialplan(conf: ConfFile, ivr: IvrFile) -> list[Finding]:
    found = [Finding("error", _at(conf), f"context [{c}] is missing") for c in ("hotline-in", "hotline-survey",
                                                                              "hotline-out") if not conf.section(c)]
    inbound = conf.section("hotline-in")
    steps = " ".join(inbound.all("exten") + inbound.all("same")) if inbound else ""
    wanted = {"AGI(${HOTLINE_AGI}/ivr)": ("error", "the IVR is never run"),
              f"MixMonitor({ivr.record.dir.rstrip('/')}/": ("error", f"calls are not recorded into {ivr.record.dir}"),
              f"Queue({ivr.queue},": ("error", f"callers never reach {ivr.queue}"),
              "StopMixMonitor(": ("warning", "no MixMonitorStop: a recording is never known to be complete"),
              "HOTLINE_REC_CITIZEN=": ("warning", "the two directions are not recorded apart (MixMonitor r()/t()): "
                                                  "calls cannot be transcribed as a dialogue"),
              "CHANNEL(language)=": ("warning", f"prompts are looked up without the '{ivr.language}' language")}
    found += [Finding(level, _at(conf), f"[hotline-in] {why}") for text, (level, why) in wanted.items()
              if inbound and text not in steps]
    hold, holding = conf.section(HOLD_CONTEXT), conf.section(HOLDING_CONTEXT)
    hold_steps = " ".join(hold.all("exten") + hold.all("same")) if hold else ""
    if hold is None or holding is None or "MusicOnHold(" not in hold_steps:
        found.append(Finding("warning", _at(conf), f"[{HOLD_CONTEXT}] with MusicOnHold and [{HOLDING_CONTEXT}] are "
                                                   "needed for 保持 (hold) from the operator's desk"))
    return found


def _manager(conf: ConfFile, username: str, secret: str) -> list[Finding]:
    account, general = conf.section(username), conf.section("general")
    if account is None:
        return [Finding("error", _at(conf), f"no manager account [{username}] (HOTLINE_AMI_USERNAME)")]
    found = []
    if account.get("secret") != secret:
        found.append(Finding("error", _at(conf), f"[{username}] secret differs from HOTLINE_AMI_SECRET"))
    for kind, needed in (("read", {"call", "agent", "dialplan", "cdr"}), ("write", {"call", "agent", "originate"})):
        have = set(re.split(r"\s*,\s*", account.get(kind) or ""))
        if not (needed <= have or "all" in have):
            found.append(Finding("error", _at(conf), f"[{username}] {kind} lacks {', '.join(sorted(needed - have))}"))
    filters = set(re.findall(r"Event: (\w+)", " ".join(account.all("eventfilter"))))
    tracker = CallTracker()
    unseen = sorted(e for e in (*tracker.handlers, *tracker.agent_handlers, *TRANSFER_EVENTS, "UserEvent")
                    if filters and not any(e.startswith(f) for f in filters))
    if unseen:
        found.append(Finding("error", _at(conf), f"[{username}] eventfilter drops {', '.join(unseen)}"))
    if general is None or (general.get("timestampevents") or "no") != "yes":
        found.append(Finding("warning", _at(conf), "timestampevents is off: call times fall back to hotline's clock"))
    if general is None or "MIXMONITOR_FILENAME" not in (general.get("channelvars") or ""):
        found.append(Finding("warning", _at(conf), "channelvars lacks MIXMONITOR_FILENAME: a restart loses recordings"))
    return found


def _features(conf: ConfFile) -> list[Finding]:
    """Attended hand-over (AMI Atxfer) needs the atxfer key; 三方通话 the three-way key."""
    featuremap, general = conf.section("featuremap"), conf.section("general")
    found = []
    if featuremap is None or not featuremap.get("atxfer"):
        found.append(Finding("warning", _at(conf), "[featuremap] has no atxfer: attended hand-over is refused "
                             "(No attended transfer feature code found)"))
    if general is None or not general.get("atxferthreeway"):
        found.append(Finding("warning", _at(conf), "[general] has no atxferthreeway: no three-way hand-over"))
    return found


def _cdr(conf: ConfFile) -> list[Finding]:
    general = conf.section("general")
    value = (lambda key: (general.get(key) or "").lower()) if general else (lambda key: "")
    found = []
    if value("enable") in ("no", "false", "0"):
        found.append(Finding("error", _at(conf), "CDRs are off: call times and the backfill after a gap need them"))
    if value("endbeforehexten") not in ("yes", "true", "1"):
        found.append(Finding("warning", _at(conf), "endbeforehexten is not yes: the h extension overwrites dst"))
    if value("batch") in ("yes", "true", "1"):
        found.append(Finding("warning", _at(conf), "batch = yes: a crash loses the CDRs still buffered"))
    return found


def _cdr_custom(conf: ConfFile, cdr_file: Path | None) -> list[Finding]:
    mappings = [s for s in conf.sections if (s.get("format") or "").lower() == "json"]
    readable = [s for s in mappings if all(f in (s.get("fields") or "").replace(" ", "").split(",")
                                           for f in CDR_FIELDS)]
    if not readable:
        return [Finding("error", _at(conf), "no JSON mapping with " + ", ".join(CDR_FIELDS))]
    if cdr_file is not None and cdr_file.name not in {Path(s.name).name for s in readable}:
        return [Finding("warning", _at(conf), f"HOTLINE_CDR_FILE is {cdr_file.name}; the mapping writes "
                        f"{readable[0].name}")]
    return []


def _cdr_manager(conf: ConfFile) -> list[Finding]:
    general = conf.section("general")
    if general is None or (general.get("enabled") or "no").lower() not in ("yes", "true", "1"):
        return [Finding("error", _at(conf), "cdr_manager is off: no Cdr events, so no exact call times")]
    return []


def check_modules(loaded: Callable[[str], bool]) -> list[Finding]:
    """The running Asterisk (AMI ModuleCheck): what its image or build lacks."""
    found = []
    for module in (*REQUIRED_MODULES, *LIVE_AUDIO_MODULES):
        if not loaded(module):
            needed = module in REQUIRED_MODULES
            found.append(Finding("error" if needed else "warning", "running Asterisk",
                                 f"{module} is not loaded{'' if needed else ' (live audio needs it)'}"))
    return found
