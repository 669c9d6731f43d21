# kcn-party: the API image. Build: docker build -t kcn-party .  Run it with docker-compose.yml.

# --- builder: the project and its dependencies installed into a self-contained venv ---------
FROM python:3.12.12-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

WORKDIR /src
# README.md is the package's readme in pyproject.toml; the build needs it.
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir .

# --- runtime: the venv, the migrations, an unprivileged user, uvicorn as PID 1 ---------------
FROM python:3.12.12-slim AS runtime

# WEB_CONCURRENCY: uvicorn's worker processes; set it to the container's CPU count.
# FORWARDED_ALLOW_IPS: the proxies whose X-Forwarded-For uvicorn trusts (the client address the
# login throttle counts); any by default, since the reverse proxy's container address is not
# known here: set it to the proxy's address when clients could reach the API around it.
ENV KCN_ENV=production \
    WEB_CONCURRENCY=1 \
    FORWARDED_ALLOW_IPS="*" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/opt/venv/bin:${PATH}"

RUN groupadd --system --gid 10001 kcn \
    && useradd --system --uid 10001 --gid kcn --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin kcn

COPY --from=builder /opt/venv /opt/venv

# app/core/migrations.py looks for alembic.ini in the working directory when the package is
# installed into site-packages, and alembic.ini points at ./migrations.
WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations

# Numeric, so that runtimes enforcing runAsNonRoot can verify it.
USER 10001:10001

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Exec form: uvicorn is PID 1 and receives SIGTERM itself, so shutdown is graceful.
STOPSIGNAL SIGTERM
CMD ["uvicorn", "app.main:app_factory", "--factory", "--host", "0.0.0.0", "--port", "8000", "--no-access-log", "--no-server-header", "--timeout-keep-alive", "5", "--timeout-graceful-shutdown", "20", "--proxy-headers"]
