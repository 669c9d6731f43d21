"""Settings from KCN_* variables, and a production start-up that refuses to run on defaults."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import ConfigError, Environment, Settings, get_settings
from app.main import app_factory

GOOD_SECRET = "s" * 40
KCN_VARIABLES = [
    "KCN_ENV",
    "KCN_DATABASE_URL",
    "KCN_SECRET_KEY",
    "KCN_DATA_DIR",
    "KCN_ACCESS_TOKEN_MINUTES",
    "KCN_CORS_ORIGINS",
    "KCN_LOG_LEVEL",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No KCN_* variable or .env file of the machine leaks into these tests."""
    for name in KCN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert message
    assert "\n" not in message
    return message


def test_production_without_database_url_is_refused() -> None:
    settings = Settings(env="production", secret_key=GOOD_SECRET)

    with pytest.raises(ConfigError) as raised:
        settings.check()

    assert "KCN_DATABASE_URL" in _one_line(raised.value)


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_production_without_a_strong_secret_is_refused(secret: str | None) -> None:
    settings = Settings(env="production", database_url="postgresql://db/kcn", secret_key=secret)

    with pytest.raises(ConfigError) as raised:
        settings.check()

    assert "KCN_SECRET_KEY" in _one_line(raised.value)


def test_production_with_url_and_secret_is_accepted() -> None:
    settings = Settings(
        env="production", database_url="postgresql://db/kcn", secret_key=GOOD_SECRET
    )

    settings.check()

    assert settings.env is Environment.PRODUCTION


def test_development_runs_on_defaults() -> None:
    settings = Settings()

    settings.check()

    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url is None
    assert settings.data_dir == Path(".data")


def test_settings_are_read_from_kcn_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCN_DATABASE_URL", "postgres://u:p@db:5432/kcn")
    monkeypatch.setenv("KCN_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("KCN_LOG_LEVEL", "debug")
    monkeypatch.setenv("KCN_ACCESS_TOKEN_MINUTES", "15")

    settings = get_settings()

    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/kcn"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.log_level == "DEBUG"
    assert settings.access_token_minutes == 15


def test_settings_are_read_from_a_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("KCN_ACCESS_TOKEN_MINUTES=5\n")

    assert get_settings().access_token_minutes == 5


def test_invalid_variable_is_a_one_line_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCN_ACCESS_TOKEN_MINUTES", "0")

    with pytest.raises(ConfigError) as raised:
        get_settings()

    assert "KCN_ACCESS_TOKEN_MINUTES" in _one_line(raised.value)


def test_production_environment_without_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCN_ENV", "production")
    monkeypatch.setenv("KCN_DATABASE_URL", "postgresql://db/kcn")

    with pytest.raises(ConfigError) as raised:
        get_settings()

    assert "KCN_SECRET_KEY" in _one_line(raised.value)


def test_app_factory_exits_with_the_one_line_explanation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KCN_ENV", "production")

    with pytest.raises(SystemExit) as raised:
        app_factory()

    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("kcn-party: KCN_DATABASE_URL")
    assert err.count("\n") == 1


def test_development_keeps_a_generated_signing_key_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")

    key = settings.signing_key()

    assert len(key) >= 32
    assert Settings(data_dir=tmp_path / "data").signing_key() == key
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_the_served_app_keeps_its_startup_objects_out_of_the_collectors_reach(
    tmp_path: Path,
) -> None:
    """What uvicorn serves (app_factory) is built with everything alive then frozen, so that a
    full garbage collection does not pause requests to scan it (bench.throughput's p99)."""
    import os
    import subprocess
    import sys

    script = (
        "import gc; from app.main import app_factory; "
        "before = gc.get_freeze_count(); app_factory(); print(before, gc.get_freeze_count())"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KCN_")},
        "KCN_DATABASE_URL": "postgresql://db/kcn",
        "KCN_SECRET_KEY": GOOD_SECRET,
        "KCN_DATA_DIR": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    before, after = map(int, run.stdout.split())
    assert before == 0
    assert after > 100_000  # the app's modules, routes, models and mappers
