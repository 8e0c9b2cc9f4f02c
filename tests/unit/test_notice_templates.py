"""Citizen notice templates, staff routing and the pieces of notices that need no database: every template renders
for every event with and without optional data, a wrong template stops start-up with its file and key, quiet
hours, and the signed rating link."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.core.config import load_config
from hotline.core.errors import ConfigError, NotFoundError
from hotline.core.notice_config import QuietHours
from hotline.core.settings import Settings
from hotline.core.templating import COMMON, NOTICE_EVENTS, SAMPLES, NoticeTemplate, TemplateError, check_template
from hotline.notifications.citizen import quiet_until
from hotline.notifications.links import LinkExpiredError, rating_token, read_rating_token
from hotline.notifications.setup import providers_for
from tests.shipped import shipped_config

CONFIG = Path(__file__).resolve().parents[2] / "config"
TZ = ZoneInfo("Asia/Shanghai")
SHIPPED = shipped_config().notices


@pytest.fixture
def cfg(tmp_path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    return target


def problems(cfg: Path) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    return err.value.problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("event", sorted(NOTICE_EVENTS))
def test_every_shipped_template_renders_with_and_without_its_optional_data(event):
    spec = NOTICE_EVENTS[event]
    template = NoticeTemplate(SHIPPED.templates[event].text)
    full = template.render({name: SAMPLES[name] for name in spec.allowed})
    bare = template.render({name: SAMPLES[name] for name in COMMON | spec.required})
    for text in (full, bare):
        assert "{" not in text and "[" not in text and SAMPLES["ticket"] in text
        assert len(text) <= SHIPPED.citizen.max_chars
    for name in spec.optional & template.variables:
        assert SAMPLES[name] in full and SAMPLES[name] not in bare  # the optional part goes with its value


def test_the_acceptance_notice_tells_ticket_code_and_both_ways_to_look_it_up():
    text = NoticeTemplate(SHIPPED.templates["accepted"].text).render(
        {**SAMPLES, "status_url": "https://x.gov.cn/status", "ivr_key": "2"})
    assert all(part in text for part in ("20261123-0001", "123456", "https://x.gov.cn/status", "12345", "按2键"))


def test_an_optional_part_is_dropped_when_any_value_in_it_is_missing():
    template = NoticeTemplate("工单{ticket}已办结[：{result}][（{department}）]。")
    assert template.render({"ticket": "1", "result": "已修复", "department": None}) == "工单1已办结：已修复。"
    assert template.render({"ticket": "1", "result": "", "department": "水务"}) == "工单1已办结（水务）。"


@pytest.mark.parametrize(("text", "says"), [
    ("工单{ticket}[已办结", "'[' without ']'"),
    ("工单{ticket}]", "']' without '['"),
    ("工单{ticket}[[{result}]]", "cannot nest"),
    ("工单{ticket:>10}", "not a plain variable"),
    ("工单{ticket", "braces"),
])
def test_malformed_templates_are_refused(text, says):
    with pytest.raises(TemplateError) as err:
        NoticeTemplate(text)
    assert says in str(err.value)


@pytest.mark.parametrize(("event", "text", "says"), [
    ("completed", "工单{ticket}已办结，{name}您好", "unknown variable {name}"),
    ("completed", "工单{ticket}已办结：{result}", "{result} may have no value: put it inside [ ]"),
    ("accepted", "工单{ticket}已受理", "the notice must tell {code}"),
    ("dispatched", "您的工单已转{department}办理，时限{due}", "the notice must tell {ticket}"),
    ("accepted", "工单{ticket}提取码{code}" + "很长" * 200, "characters with sample values"),
])
def test_template_checks_name_the_problem(event, text, says):
    assert any(says in problem for problem in check_template(event, text, 300))


def test_an_unknown_variable_stops_start_up_naming_file_and_key(cfg):
    edit(cfg / "notices.yaml", "已转{department}办理", "已转{dept}办理")
    [problem] = problems(cfg)
    assert problem.startswith(f"{cfg / 'notices.yaml'}: templates.dispatched.text: unknown variable {{dept}}")


def test_a_missing_template_is_named(cfg):
    text = (cfg / "notices.yaml").read_text(encoding="utf-8")
    start = text.index("  redone:")
    (cfg / "notices.yaml").write_text(text[:start] + text[text.index("satisfaction:"):], encoding="utf-8")
    assert problems(cfg) == [f"{cfg / 'notices.yaml'}: templates.redone: missing"]


def test_a_department_routing_names_an_existing_department(cfg):
    edit(cfg / "notices.yaml", "371500-GAS: [", "371500-NOPE: [")
    assert problems(cfg) == [f"{cfg / 'notices.yaml'}: staff.departments.371500-NOPE: no department with that "
                             "code in departments.yaml"]


def test_a_robot_the_routing_uses_must_exist_in_the_provider_settings(tmp_path):
    settings = Settings(var_dir=tmp_path, notifications={"wecom": {"provider": "wecom_robot",
                                                                   "robots": {"water": "k1"}}})
    with pytest.raises(ConfigError) as err:
        providers_for(settings, load_config(CONFIG))
    assert err.value.problems == ["notices.yaml: staff: wecom robot 'housing' is not among the robots of "
                                  "notifications.wecom"]
    assert "k1" not in str(err.value)


def test_every_channel_without_settings_writes_to_the_log(tmp_path):
    providers = providers_for(Settings(var_dir=tmp_path), load_config(CONFIG))
    assert {channel: p.name for channel, p in providers.items()} == dict.fromkeys(
        ["sms", "wechat", "email", "wecom", "dingtalk", "log"], "log")


def local(hour: int, minute: int = 0, day: int = 23) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(("now", "until"), [
    (local(20, 59), None),
    (local(21, 0), local(8, 0, day=24)),
    (local(23, 30), local(8, 0, day=24)),
    (local(3, 15), local(8, 0)),
    (local(8, 0), None),
])
def test_quiet_hours_delay_night_messages_to_the_morning(now, until):
    got = quiet_until(now, TZ, QuietHours(start="21:00", end="08:00"))
    assert got == (until.astimezone(dt.UTC) if until else None)


def test_quiet_hours_within_one_day():
    quiet = QuietHours(start="12:00", end="14:00")
    assert quiet_until(local(12, 30), TZ, quiet) == local(14, 0).astimezone(dt.UTC)
    assert quiet_until(local(14, 0), TZ, quiet) is None


def test_a_rating_link_names_its_callback_until_it_expires():
    expires = local(9) + dt.timedelta(days=7)
    token = rating_token(b"secret", 4711, expires)
    assert len(token) <= 28 and token.isascii()
    assert read_rating_token(b"secret", token, local(9)) == 4711
    with pytest.raises(LinkExpiredError):
        read_rating_token(b"secret", token, expires)


@pytest.mark.parametrize("mutate", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature altered
    lambda t: ("B" if t[0] != "B" else "C") + t[1:],  # the callback id altered
    lambda t: t[:10],  # cut short
    lambda t: "not base64 at all!",
])
def test_a_forged_or_altered_link_is_unknown(mutate):
    token = rating_token(b"secret", 4711, local(9) + dt.timedelta(days=7))
    with pytest.raises(NotFoundError):
        read_rating_token(b"secret", mutate(token), local(9))
    with pytest.raises(NotFoundError):
        read_rating_token(b"another secret", token, local(9))
