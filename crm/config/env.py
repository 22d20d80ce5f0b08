"""Small helpers that read settings from the environment and refuse bad values loudly.

Each helper raises ImproperlyConfigured naming the variable and what it expected, so a
typo in a deployment fails at start-up instead of running with a surprising default.
"""

import ipaddress
import os
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: list[str], default: str) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), normalised."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network "
                "(for example 10.0.0.5 or 10.0.0.0/8)."
            ) from None
    return networks


def is_weak_secret_key(key: str) -> bool:
    """Mirror Django's security.W009 test: short, low-entropy or a generated dev key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


def secret_key(*, debug: bool, dev_key_file: Path) -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if not debug and is_weak_secret_key(key):
            raise ImproperlyConfigured(
                "SECRET_KEY is too weak for DEBUG=0: use at least 50 random characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
            )
        return key
    if not debug:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local development set DEBUG=1 "
            "(make run does) and a key is generated under var/."
        )
    # Development only: one random key kept on disk so sessions survive restarts.
    dev_key_file.parent.mkdir(parents=True, exist_ok=True)
    if not dev_key_file.exists():
        dev_key_file.write_text(secrets.token_urlsafe(64))
        dev_key_file.chmod(0o600)
    return dev_key_file.read_text().strip()


def database_config(url: str, *, base_dir: Path) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry.

    sqlite:///relative/path.sqlite3, sqlite:////absolute/path.sqlite3,
    postgres://user:password@host:port/name?pool=0&sslmode=require
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/"):
            path = path[1:]
        if not path:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} names no file: use sqlite:///var/db.sqlite3."
            )
        name = Path(path) if Path(path).is_absolute() else base_dir / path
        name.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            # Wait for a writer rather than failing at once when two requests overlap.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database.")
        options: dict = {}
        pool = query.pop("pool", "1").lower()
        if pool not in TRUE_VALUES | FALSE_VALUES:
            raise ImproperlyConfigured(f"DATABASE_URL pool={pool!r} must be 1 or 0.")
        if pool in TRUE_VALUES:
            # Django's psycopg 3 pool; it requires CONN_MAX_AGE = 0.
            sizes = {}
            for key, default in (("pool_min_size", 1), ("pool_max_size", 10)):
                raw = query.pop(key, str(default))
                if not raw.isdigit() or int(raw) < 1:
                    raise ImproperlyConfigured(
                        f"DATABASE_URL {key}={raw!r} must be a positive integer."
                    )
                sizes[key.removeprefix("pool_")] = int(raw)
            options["pool"] = sizes
        options.update(query)
        # PostgreSQL's JIT compiles a query whose estimated cost is high before running it:
        # the project export at 60,000 rows spent ~7 s compiling a query that runs in ~1 s,
        # and a web application's queries never run long enough to repay it. Off for our
        # connections (a startup parameter: no query); `?options=` in the URL replaces it.
        options.setdefault("options", "-c jit=off")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 0,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: unsupported scheme {scheme!r} (use sqlite:// or postgres://)."
    )


def email_config(url: str) -> dict:
    """Turn EMAIL_URL into Django email settings.

    console://, locmem://, file:///path/to/dir, dummy://,
    smtp://user:password@host:587?tls=1 (or smtps:// for implicit TLS on 465).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
    }
    if scheme in backends:
        config = {"EMAIL_BACKEND": backends[scheme]}
        if scheme == "file":
            if not parts.path:
                raise ImproperlyConfigured(f"EMAIL_URL={url!r} names no directory.")
            config["EMAIL_FILE_PATH"] = unquote(parts.path)
        return config
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL={url!r} names no host.")
        query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "smtp" and query.get("tls", "1") in TRUE_VALUES,
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL={url!r}: unsupported scheme {scheme!r} "
        "(use console://, smtp://, smtps://, file://, locmem:// or dummy://)."
    )


def cache_config(url: str) -> dict:
    """Turn CACHE_URL into a Django CACHES entry.

    locmem:// (each process its own memory: one server only), redis://host:6379/0,
    rediss://… (TLS), with an optional password: redis://:password@host:6379/0, and
    `?key_prefix=NAME` to keep the keys of several CRMs on one Redis apart (default "crm").
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"CACHE_URL={url!r} names no host.")
        database = parts.path.lstrip("/") or "0"
        if not database.isdigit():
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r}: the database {database!r} must be a number (redis://host:6379/0)."
            )
        try:
            parts.port  # noqa: B018 (urlsplit checks the port only when asked)
        except ValueError:
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: the port is not a number.") from None
        query = parse_qs(parts.query, keep_blank_values=True)
        prefix = query.pop("key_prefix", ["crm"])[-1]
        if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", prefix):
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r}: key_prefix must be 1 to 64 letters, digits or _.:-"
            )
        # What is left of the query goes to redis-py (socket_timeout=…, ssl_cert_reqs=…).
        location = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            # Several CRMs may share one Redis: keep this one's keys apart.
            "KEY_PREFIX": prefix,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r}: unsupported scheme {scheme!r} (use locmem:// or redis://host:6379/0)."
    )


def storage_config(url: str, *, location: Path) -> dict:
    """Turn STORAGE_URL into the STORAGES entry of uploaded documents.

    Empty: the local disk under `location` (one server). s3://bucket?endpoint_url=https://…
    &region=…&prefix=…: any S3-compatible object store through django-storages (several
    app servers), credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Files are
    private either way: the app streams them after checking access, never a public URL.
    """
    if not url:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        }
    parts = urlsplit(url)
    if parts.scheme.lower() != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_URL={url!r}: unsupported scheme {parts.scheme!r} "
            "(leave it empty for the local disk, or use s3://bucket?endpoint_url=…)."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"STORAGE_URL={url!r} names no bucket (s3://bucket?…).")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint_url", "region", "prefix"}
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL={url!r}: unknown parameters {sorted(unknown)} "
            "(use endpoint_url, region, prefix)."
        )
    options = {
        "bucket_name": unquote(parts.hostname),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if query.get("endpoint_url"):
        options["endpoint_url"] = query["endpoint_url"]
    if query.get("region"):
        options["region_name"] = query["region"]
    if query.get("prefix"):
        options["location"] = query["prefix"].strip("/")
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
