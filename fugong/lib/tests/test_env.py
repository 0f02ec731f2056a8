import os
import subprocess
import sys

import pytest

from fugong.lib.env import ConfigError, database_config, env_bool, env_choice, env_int


def test_booleans_accept_the_usual_spellings_and_refuse_others():
    assert env_bool("X", False, {"X": "yes"}) is True
    assert env_bool("X", True, {"X": "0"}) is False
    with pytest.raises(ConfigError, match="X='maybe'"):
        env_bool("X", False, {"X": "maybe"})


def test_numbers_and_choices_name_the_variable_on_bad_values():
    with pytest.raises(ConfigError, match="FUGONG_WORKERS"):
        env_int("FUGONG_WORKERS", 0, environ={"FUGONG_WORKERS": "many"})
    with pytest.raises(ConfigError, match="FUGONG_TASKS"):
        env_choice("FUGONG_TASKS", "db", ("db",), environ={"FUGONG_TASKS": "cron"})


def test_database_urls_other_than_sqlite_and_postgres_are_refused():
    with pytest.raises(ConfigError, match="FUGONG_DATABASE_URL"):
        database_config("mysql://root@localhost/x", name="FUGONG_DATABASE_URL")
    assert database_config("postgres://u@h:5432/db", name="X")["NAME"] == "db"


def _start(env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUGONG_")}
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update({"FUGONG_HOME": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "fugong.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_stops_with_a_message_naming_a_bad_variable(tmp_path):
    result = _start({"FUGONG_DEBUG": "perhaps"}, tmp_path)
    assert result.returncode == 2
    assert "FUGONG_DEBUG" in result.stderr


def test_production_start_up_requires_a_secret_key(tmp_path):
    result = _start({"FUGONG_DEBUG": "0"}, tmp_path)
    assert result.returncode == 2
    assert "FUGONG_SECRET_KEY is required" in result.stderr


def test_start_up_stops_on_a_worker_without_threads(tmp_path):
    result = _start({"FUGONG_DEBUG": "1", "FUGONG_THREADS": "0"}, tmp_path)
    assert result.returncode == 2
    assert "FUGONG_THREADS" in result.stderr


def test_start_up_succeeds_with_a_secret_key(tmp_path):
    result = _start({"FUGONG_DEBUG": "0", "FUGONG_SECRET_KEY": "k" * 50}, tmp_path)
    assert result.returncode == 0, result.stderr
