"""Service settings, read from KCN_* environment variables and an optional .env file."""

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line meant for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KCN_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str | None = Field(
        default=None,
        description="postgresql+asyncpg://user:password@host:5432/db; unset starts an embedded "
        "PostgreSQL in KCN_DATA_DIR/postgres (development only).",
    )
    database_replica_url: str | None = Field(
        default=None,
        description="A streaming replica of KCN_DATABASE_URL: the lists, reports and exports "
        "read it (they may lag the primary by its replay delay); unset, everything reads the "
        "primary.",
    )
    data_dir: Path = Path(".data")
    secret_key: SecretStr | None = None
    access_token_minutes: int = Field(default=15, ge=1, le=60 * 24)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_pool_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a request waits for a free connection (then 503)."
    )
    db_statement_timeout: float = Field(
        default=15.0, ge=0, description="Seconds a statement may run (then 503); 0: no limit."
    )
    db_lock_timeout: float = Field(
        default=5.0, ge=0, description="Seconds a statement may wait for a lock (then 503)."
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest request body accepted (then 413)."
    )
    import_job_rows: int = Field(
        default=10_000,
        ge=1,
        description="A spreadsheet of more rows is imported in the background (202).",
    )
    max_import_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Largest spreadsheet uploaded to /imports (then 413).",
    )
    material_max_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Largest material file uploaded to /materials (then 413).",
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins per account in the window before a lock."
    )
    login_address_max_failures: int = Field(
        default=50, ge=1, description="Failed logins per client address in the window."
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="Minutes a failed login counts towards a lock."
    )
    login_lock_max_minutes: int = Field(
        default=15, ge=1, description="The longest lock (locks double from 30 s up to this)."
    )
    docs_enabled: bool | None = Field(
        default=None,
        description="Serve /docs, /redoc and /openapi.json; default: in development only.",
    )
    readiness_timeout: float = Field(default=2.0, gt=0)
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, GET /metrics needs `Authorization: Bearer <this token>`.",
    )
    workers: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Worker processes `kcn-party serve` starts; 0: one per CPU.",
    )
    db_app_role: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="The role the service connects as, when migrations run as a separate owner "
        "role: migrations grant it read/write on the tables but only SELECT and INSERT on the "
        "audit trail.",
    )
    audit_retention_days: int = Field(
        default=0,
        ge=0,
        description="Days `kcn-party prune-audit` keeps audit events; 0 keeps them for ever.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("database_url", "database_replica_url", mode="before")
    @classmethod
    def _asyncpg_driver(cls, value: Any) -> Any:
        """Accept the plain postgres:// URLs ops copy from their providers."""
        if isinstance(value, str):
            value = value.strip() or None
            if value is None:
                return None
            for prefix in ("postgresql://", "postgres://"):
                if value.startswith(prefix):
                    return "postgresql+asyncpg://" + value[len(prefix) :]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @property
    def serves_docs(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.env is Environment.DEVELOPMENT

    def check(self) -> None:
        """Refuse to start a production instance that would run on defaults, and a replica
        without the primary it replicates."""
        if self.database_replica_url is not None and self.database_url is None:
            raise ConfigError(
                "KCN_DATABASE_REPLICA_URL needs KCN_DATABASE_URL (the embedded PostgreSQL has "
                "no replica)"
            )
        if self.env is Environment.PRODUCTION:
            if self.database_url is None:
                raise ConfigError("KCN_DATABASE_URL must be set when KCN_ENV=production")
            if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
                raise ConfigError(
                    "KCN_SECRET_KEY must be set (32 characters or more) when KCN_ENV=production"
                )

    def signing_key(self) -> str:
        """The JWT signing key; a development instance keeps a generated one in its data dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


@lru_cache
def get_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"KCN_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
    settings.check()
    return settings
