"""Reading configuration from environment variables, failing loudly on bad values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(Exception):
    """A configuration variable holds a value the platform cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_int(
    name: str, default: int, *, minimum: int = 0, environ: Mapping[str, str] = os.environ
) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name} is set but names nothing: give a comma-separated list.")
    return items


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={raw!r} must be one of: {', '.join(choices)}.")
    return value


def env_path(name: str, default: Path, environ: Mapping[str, str] = os.environ) -> Path:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return Path(raw).expanduser().resolve()


PREPARE_ONLY_WHEN_ASKED = 2**31 - 1  # psycopg's prepare_threshold: never by count


def database_config(url: str, *, name: str) -> dict:
    """Turn a database URL into Django's DATABASES entry, naming the variable on failure."""
    import dj_database_url

    if not url.startswith(("sqlite://", "postgres://", "postgresql://", "pgsql://")):
        raise ConfigError(f"{name}={url!r}: use sqlite:///path or postgres://user@host:port/db.")
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several types
        raise ConfigError(f"{name}={url!r} cannot be parsed: {exc}") from None
    if config["ENGINE"].endswith("postgresql"):
        config["CONN_HEALTH_CHECKS"] = True
        # Statements prepared by fugong.lib.sql are planned once per connection. Django turns
        # psycopg's prepared statements off (prepare_threshold None), which would also ignore
        # fetch_prepared's explicit request: a threshold no query reaches lets through only
        # those explicit requests (Django's own cursors bind on the client and never prepare).
        options = config.setdefault("OPTIONS", {})
        options["options"] = "-c plan_cache_mode=force_generic_plan"
        options["prepare_threshold"] = PREPARE_ONLY_WHEN_ASKED
    return config
