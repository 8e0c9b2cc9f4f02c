"""Process settings: one pydantic-settings class, every variable prefixed HOTLINE_."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Embedded defaults (SQLite under ./var, in-process jobs); env vars switch to real services."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/hotline.db"
    redis_url: str | None = None
    config_dir: Path = Path("config")
    var_dir: Path = Path("var")
    intake_model_dir: Path | None = None  # the learned router's model files; default var/intake/models
    timezone: str = "Asia/Shanghai"
    # Names this centre on a shared Redis (live channels, limits); default: derived from the database URL
    deployment: str | None = None
    secret_key: SecretStr | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    log_level: str = "INFO"
    # Redis redelivers a job whose worker died after this many seconds; outbox claims expire with it.
    job_visibility_timeout: int = 300
    sweep_interval_seconds: int = 60
    # Providers per channel (sms, wechat, email, wecom, dingtalk), e.g. {"sms": {"provider": "aliyun_sms", …}}:
    # JSON in HOTLINE_NOTIFICATIONS, or a YAML/JSON file. A channel without one writes to var/notifications.log.
    notifications: dict[str, dict[str, Any]] = Field(default_factory=dict, repr=False)
    notifications_file: Path | None = None
    # Asterisk manager (AMI) and the FastAGI IVR; no AMI host means telephony is not configured
    ami_host: str | None = None
    ami_port: int = 5038
    ami_username: str = "hotline"
    ami_secret: SecretStr = SecretStr("hotline")
    agi_host: str = "127.0.0.1"
    agi_port: int = 4573
    # Live listening (`hotline listen`): where it accepts AudioSocket streams, the address Asterisk dials
    # to reach it (host:port as Asterisk sees it), and Asterisk's systemname if asterisk.conf sets one
    listen_host: str = "127.0.0.1"
    listen_port: int = 9092
    listen_address: str = "127.0.0.1:9092"
    asterisk_system_name: str = ""
    recordings_dir: Path = Path("var/recordings")  # where Asterisk's recordings are readable by hotline
    # Asterisk's cdr_custom JSON file as hotline sees it: calls made while `hotline ami` was away are read back
    cdr_file: Path | None = None
    # Asterisk's sounds directory as hotline sees it (`hotline ivr prompts` writes <dir>/<language>/ there)
    asterisk_sounds_dir: Path | None = None
    # Speech recognition: a Vosk model directory (`hotline asr install-model` puts one here)
    asr_engine: str = "vosk"  # vosk | fake (the demo's scripted recogniser)
    asr_model_dir: Path = Path("var/models/vosk-model-small-cn-0.22")
    asr_max_seconds: int = 3600  # longer recordings are refused, not transcribed

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def namespace(self) -> str:
        """The prefix of this deployment's keys and channels on a Redis other centres may share.

        Derived from the database URL and the Redis database number when HOTLINE_DEPLOYMENT is unset:
        two stacks started from the same compose file share a database URL string, and pub/sub
        ignores the database number, so the number must be part of the name."""
        if self.deployment:
            return self.deployment
        redis_db = urlsplit(self.redis_url or "").path.strip("/") or "0"
        return hashlib.sha256(f"{self.database_url}|redis-db-{redis_db}".encode()).hexdigest()[:12]

    def provider_settings(self) -> dict[str, dict[str, Any]]:
        """The providers' sections: the file's, then HOTLINE_NOTIFICATIONS over them channel by channel."""
        sections: dict[str, dict[str, Any]] = {}
        if self.notifications_file is not None:
            loaded = yaml.safe_load(self.notifications_file.read_text(encoding="utf-8")) or {}
            sections.update(loaded if isinstance(loaded, dict) else {})
        sections.update(self.notifications)
        return sections

    @property
    def intake_models(self) -> Path:
        return self.intake_model_dir or self.var_dir / "intake" / "models"

    def secret(self) -> bytes:
        """The signing secret; embedded mode keeps a generated one in var/secret.key."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.var_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
