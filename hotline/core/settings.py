"""Process settings: one pydantic-settings class, every variable prefixed HOTLINE_."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hotline.core import secret_key as signing_secret
from hotline.core.yamlfile import SAFE_LOADER

# What a centre may publish to anyone: never coordinates or photo links (they point at a door or a face).
OPEN311_PUBLISHABLE = frozenset({"service_request_id", "status", "status_notes", "service_name", "service_code",
                                 "description", "agency_responsible", "service_notice", "requested_datetime",
                                 "updated_datetime", "expected_datetime", "address"})


class Settings(BaseSettings):
    """Embedded defaults (SQLite under ./var, in-process jobs); env vars switch to real services."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/hotline.db"
    # PostgreSQL connections each process keeps (and may add at a peak): size processes × (pool + overflow)
    # below the server's max_connections. The default matches an API worker's thread pool.
    db_pool_size: int = Field(default=20, ge=1, le=200)
    db_max_overflow: int = Field(default=20, ge=0, le=200)
    redis_url: str | None = None
    config_dir: Path = Path("config")
    var_dir: Path = Path("var")
    intake_model_dir: Path | None = None  # the learned router's model files; default var/intake/models
    intake_first_model: bool = True  # with no model ever trained, the periodic job builds one from the seed corpus
    timezone: str = "Asia/Shanghai"
    # Names this centre on a shared Redis (live channels, limits); default: derived from the database URL
    deployment: str | None = None
    secret_key: SecretStr | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # On stop, how long `hotline api` waits for open requests before it ends them: the consoles' live streams
    # never end by themselves, and without a limit a restart would wait for every browser to go away.
    api_shutdown_grace_s: int = 5
    # Addresses or networks of the reverse proxies in front of the API, comma-separated: only their
    # X-Forwarded-For is believed (client address in the audit log and per-address limits). Default: none.
    trusted_proxies: str = ""
    # Open311 reads without an api_key: off unless the centre turns them on, and then only these fields
    # (category, coarse place — the street office —, status, dates by default; text is masked if chosen).
    open311_public_reads: bool = False
    open311_public_fields: str = ("service_request_id,service_code,service_name,status,address,requested_datetime,"
                                  "updated_datetime,expected_datetime")
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
    # to reach it (host:port as Asterisk sees it), whether `hotline ami` asks Asterisk to stream each answered
    # call (off: no `hotline listen` runs), and Asterisk's systemname if asterisk.conf sets one
    listen_host: str = "127.0.0.1"
    listen_port: int = 9092
    listen_address: str = "127.0.0.1:9092"
    listen_calls: bool = False  # ask Asterisk to stream every answered queue call there
    listen_sides: Literal["both", "citizen"] = "citizen"  # both: the operator's side live too (twice the CPU)
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
    # A channel gateway retrying with the same Idempotency-Key gets the first answer (extraction code
    # included) for this long; afterwards only the order, and a changed body is still refused.
    idempotency_window_hours: int = 72
    # Request bodies are refused (413) before parsing past these sizes: any route, and the routes that take
    # files (evidence with a completion: up to 9 files of 10 MB; a knowledge import: one 20 MB file)
    max_body_bytes: int = 1024 * 1024
    max_evidence_body_bytes: int = 91 * 1024 * 1024
    max_import_body_bytes: int = 21 * 1024 * 1024

    def pool_options(self) -> dict[str, int]:
        """The connection pool of a PostgreSQL engine (SQLite takes none)."""
        return {} if self.is_sqlite else {"pool_size": self.db_pool_size, "max_overflow": self.db_max_overflow}

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
            loaded = yaml.load(self.notifications_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
            sections.update(loaded if isinstance(loaded, dict) else {})
        sections.update(self.notifications)
        return sections

    @field_validator("open311_public_fields")
    @classmethod
    def _publishable(cls, value: str) -> str:
        unknown = {f.strip() for f in value.split(",") if f.strip()} - OPEN311_PUBLISHABLE
        if unknown:
            raise ValueError(f"not publishable in Open311 public reads: {', '.join(sorted(unknown))} "
                             f"(choose from {', '.join(sorted(OPEN311_PUBLISHABLE))})")
        return value

    @property
    def open311_public_field_set(self) -> frozenset[str]:
        return frozenset(f.strip() for f in self.open311_public_fields.split(",") if f.strip())

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def is_embedded(self) -> bool:
        """SQLite and no Redis: one machine, one set of processes sharing var/."""
        return self.is_sqlite and not self.redis_url

    @property
    def intake_models(self) -> Path:
        return self.intake_model_dir or self.var_dir / "intake" / "models"

    def secret(self) -> bytes:
        """The signing secret: HOTLINE_SECRET_KEY, which must be real (ConfigError otherwise, and always when a
        deployment on PostgreSQL or Redis lacks one); embedded mode may keep a generated one in var/secret.key."""
        if self.secret_key is not None:
            return signing_secret.check_configured(self.secret_key.get_secret_value()).encode()
        if not self.is_embedded:
            raise signing_secret.missing_in_deployment()
        return signing_secret.generated(self.var_dir / "secret.key").encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
