"""Thresholds for geometry, escalation and webhooks, from a TOML file.

The shipped defaults are ``truce/data/monitoring.toml``; set
``TRUCE_MONITORING_CONFIG`` to another file to change them. Loaded once,
lazily, by ``get_monitoring_config()``.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..data import DATA_DIR
from ..domain.escalation import EscalationRules

__all__ = ["MonitoringConfig", "get_monitoring_config", "load_monitoring_config"]


class GeometryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    populated_radius_m: float = Field(2000.0, gt=0)
    sector_max_distance_m: float = Field(30000.0, gt=0)
    control_radius_m: float = Field(5000.0, ge=0)


class EscalationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spike_p_value: float = Field(0.01, gt=0, lt=1)
    spike_baseline_days: int = Field(7, ge=1)
    spike_min_rate: float = Field(0.2, gt=0)
    spike_min_count: int = Field(3, ge=1)
    spike_min_baseline_days: int = Field(3, ge=1)
    deep_strike_km: float = Field(40.0, gt=0)
    civilians_killed_threshold: int = Field(5, ge=1)
    civilians_injured_threshold: int = Field(20, ge=1)

    def rules(self) -> EscalationRules:
        return EscalationRules(**self.model_dump())


class WebhookConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_attempts: int = Field(8, ge=1)
    backoff_base_s: float = Field(2.0, gt=0)
    backoff_max_s: float = Field(3600.0, gt=0)
    timeout_s: float = Field(5.0, gt=0)
    poll_interval_s: float = Field(5.0, gt=0)


class MonitoringConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    geometry: GeometryConfig = GeometryConfig()
    escalation: EscalationConfig = EscalationConfig()
    webhooks: WebhookConfig = WebhookConfig()


def load_monitoring_config(path: Path) -> MonitoringConfig:
    with path.open("rb") as handle:
        return MonitoringConfig.model_validate(tomllib.load(handle))


@lru_cache(maxsize=1)
def get_monitoring_config() -> MonitoringConfig:
    path = os.environ.get("TRUCE_MONITORING_CONFIG")
    return load_monitoring_config(Path(path) if path else DATA_DIR / "monitoring.toml")
