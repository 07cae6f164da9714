"""One settings class for the whole application, read from TRUCE_* variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .domain.links import http_url

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Every setting, its environment variable and default.

    - ``database_url`` (TRUCE_DATABASE_URL): SQLAlchemy URL; a bare path means SQLite.
    - ``evidence_dir`` (TRUCE_EVIDENCE_DIR): where evidence files are kept.
    - ``max_body_bytes`` (TRUCE_MAX_BODY_BYTES): largest JSON body accepted.
    - ``max_upload_bytes`` (TRUCE_MAX_UPLOAD_BYTES): largest evidence file accepted.
    - ``future_tolerance_s`` (TRUCE_FUTURE_TOLERANCE_S): clock skew allowed on observed times.
    - ``timezone`` (TRUCE_TIMEZONE): the theatre's time zone; a "day" in filters,
      tallies and daily reports is a calendar day there.
    - ``log_key`` (TRUCE_LOG_KEY): the file holding the ledger's Ed25519 log
      key (`truce ledger keygen`), mode 0600; checkpoints are signed with it.
    - ``party_sides`` (TRUCE_PARTY_SIDES, JSON): parties that speak as one side,
      so that two of them agreeing is not independent corroboration.
    - ``db_lock_timeout_s`` (TRUCE_DB_LOCK_TIMEOUT_S): how long a write waits for the
      database's lock before the request is answered 503 with Retry-After.
    - ``sqlite_synchronous`` (TRUCE_SQLITE_SYNCHRONOUS): NORMAL (durable across a crash
      of the server) or FULL (also across power loss; slower commits).
    - ``write_batch`` (TRUCE_WRITE_BATCH): the most report submissions one group commit
      stores in one transaction (one writer thread takes those waiting; see
      ``store.group_commit``); a submission waits for its batch's commit, bounded by the
      lock timeout.
    - ``token_key_file`` (TRUCE_TOKEN_KEY_FILE): the key API tokens are hashed with, kept
      outside the database (default: beside a SQLite file, else ``truce-token.key``).
    - ``public_url`` (TRUCE_PUBLIC_URL): the address observers' phones reach the server at
      (``https://hq.example``), for the enrolment links and QR codes the API hands out;
      unset, the address of the request that asks for one (its Host header) is used.
    - ``auth_failures_per_client`` / ``auth_failures_per_prefix``
      (TRUCE_AUTH_FAILURES_PER_CLIENT / _PER_PREFIX): failed token checks a client address,
      or a token prefix with wrong secrets, may make per minute before answers are 429.
    """

    model_config = SettingsConfigDict(env_prefix="TRUCE_")

    database_url: str = "sqlite:///truce.db"
    evidence_dir: Path = Path("evidence")
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 50_000_000
    future_tolerance_s: int = 300
    timezone: str = "Asia/Baku"
    db_lock_timeout_s: float = Field(default=5.0, gt=0, le=600)
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    token_key_file: Path | None = None
    write_batch: int = Field(default=64, ge=1, le=1000)
    auth_failures_per_client: int = Field(default=30, ge=1, le=1_000_000)
    auth_failures_per_prefix: int = Field(default=10, ge=1, le=1_000_000)
    log_key: Path | None = None
    public_url: str | None = None
    party_sides: dict[str, str] = {"ARM": "Armenian side", "NKR": "Armenian side",
                                   "AZE": "Azerbaijani side"}

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and http_url(value) is None:
            raise ValueError(f"must be an http:// or https:// address, not {value!r}")
        return value.rstrip("/") if value else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@lru_cache
def get_settings() -> Settings:
    return Settings()
