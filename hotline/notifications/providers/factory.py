"""Builds the configured provider for each channel from a plain settings mapping, e.g.

    {"sms": {"provider": "aliyun_sms", "access_key_id": "...", "access_key_secret": "...", "sign_name": "聊城12345"},
     "wechat": {"provider": "wechat_mp", "app_id": "...", "app_secret": "...", "message_token": "..."},
     "email": {"provider": "smtp", "host": "smtp.lc.gov.cn", "port": 465, "sender": "...", "security": "ssl"},
     "wecom": {"provider": "wecom_robot", "robots": {"water": "<webhook key>"}},
     "dingtalk": {"provider": "dingtalk_robot",
                  "robots": {"water": {"access_token": "...", "secret": "SEC..."}}}}

A channel without a section writes to var/notifications.log (the `log` provider).
Problems are reported all at once as a ConfigError naming keys, never values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hotline.core.errors import ConfigError
from hotline.notifications.providers.aliyun_sms import AliyunSmsProvider
from hotline.notifications.providers.base import Provider
from hotline.notifications.providers.dingtalk_robot import DingTalkRobot, DingTalkRobotProvider
from hotline.notifications.providers.fake import FakeProvider
from hotline.notifications.providers.log import LogProvider
from hotline.notifications.providers.smtp_email import SmtpEmailProvider
from hotline.notifications.providers.tencent_sms import TencentSmsProvider
from hotline.notifications.providers.wechat_mp import WeChatOfficialAccountProvider
from hotline.notifications.providers.wecom_robot import WeComRobotProvider

# provider name → (required keys, optional keys)
KEYS: dict[str, tuple[set[str], set[str]]] = {
    "aliyun_sms": ({"access_key_id", "access_key_secret", "sign_name"},
                   {"endpoint", "region_id", "timeout", "callback_token"}),
    "tencent_sms": ({"secret_id", "secret_key", "sdk_app_id", "sign_name"},
                    {"region", "endpoint", "param_order", "timeout", "callback_token"}),
    "wechat_mp": ({"app_id", "app_secret"}, {"kind", "api_base", "token_mode", "message_token", "timeout"}),
    "smtp": ({"host", "port", "sender"},
             {"sender_name", "username", "password", "security", "timeout", "message_id_domain"}),
    "wecom_robot": ({"robots"}, {"msgtype", "endpoint", "timeout"}),
    "dingtalk_robot": ({"robots"}, {"msgtype", "endpoint", "timeout"}),
    "fake": (set(), {"callback_token"}),
    "log": (set(), {"path"}),
}
CHANNELS = ("sms", "wechat", "email", "wecom", "dingtalk", "log")


def _dingtalk(options: dict[str, Any]) -> DingTalkRobotProvider:
    robots = {name: DingTalkRobot(str(robot["access_token"]), robot.get("secret"))
              for name, robot in options.pop("robots").items()}
    return DingTalkRobotProvider(robots, **options)


_BUILDERS: dict[str, Callable[[dict[str, Any]], Provider]] = {
    "aliyun_sms": lambda o: AliyunSmsProvider(o.pop("access_key_id"), o.pop("access_key_secret"),
                                              o.pop("sign_name"), **o),
    "tencent_sms": lambda o: TencentSmsProvider(o.pop("secret_id"), o.pop("secret_key"), str(o.pop("sdk_app_id")),
                                                o.pop("sign_name"), **o),
    "wechat_mp": lambda o: WeChatOfficialAccountProvider(o.pop("app_id"), o.pop("app_secret"), **o),
    "smtp": lambda o: SmtpEmailProvider(o.pop("host"), int(o.pop("port")), o.pop("sender"), **o),
    "wecom_robot": lambda o: WeComRobotProvider(o.pop("robots"), **o),
    "dingtalk_robot": _dingtalk,
    "fake": lambda o: FakeProvider(**o),
    "log": lambda o: LogProvider(Path(o["path"])),
}


def build_providers(settings: Mapping[str, Mapping[str, Any]], var_dir: Path | None = None) -> dict[str, Provider]:
    """One provider per channel — every channel of CHANNELS when `var_dir` is given, those without a section
    writing to var_dir/notifications.log; a wrong or incomplete section raises ConfigError listing every problem."""
    problems = [problem for channel, section in settings.items() for problem in _problems(channel, section)]
    if problems:
        raise ConfigError(problems)
    log_path = str((var_dir or Path("var")) / "notifications.log")
    providers: dict[str, Provider] = {}
    for channel, section in settings.items():
        options = {key: value for key, value in section.items() if key != "provider"}
        if section["provider"] == "log":
            options.setdefault("path", log_path)
        try:
            provider = _BUILDERS[section["provider"]](options)
        except (ValueError, TypeError) as exc:  # a value the constructor refuses (kind, security, msgtype…)
            problems.append(f"notifications.{channel}: {exc}")
            continue
        if isinstance(provider, FakeProvider):
            provider.name = f"fake_{channel}"
        providers[channel] = provider
    if problems:
        raise ConfigError(problems)
    if var_dir is not None:
        shared = LogProvider(Path(log_path))
        providers.update({channel: shared for channel in CHANNELS if channel not in providers})
    return providers


def _problems(channel: str, section: Mapping[str, Any]) -> list[str]:
    where = f"notifications.{channel}"
    name = section.get("provider")
    if name not in KEYS:
        return [f"{where}.provider: must be one of {', '.join(sorted(KEYS))}"]
    required, optional = KEYS[name]
    given = set(section) - {"provider"}
    problems = [f"{where}.{key}: missing" for key in sorted(required - given)]
    problems += [f"{where}.{key}: unknown for {name}" for key in sorted(given - required - optional)]
    problems += [f"{where}.{key}: empty" for key in sorted(required & given) if section[key] in ("", None, {})]
    if "timeout" in section and not _positive_number(section["timeout"]):
        problems.append(f"{where}.timeout: must be a positive number of seconds")
    if name == "dingtalk_robot" and isinstance(section.get("robots"), Mapping):
        problems += [f"{where}.robots.{robot}: needs access_token"
                     for robot, value in section["robots"].items()
                     if not isinstance(value, Mapping) or not value.get("access_token")]
    return problems


def _positive_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
