"""Test settings: the real settings with the few overrides tests need."""

import os
import tempfile

# Tests run with DEBUG off, like production; they need a key but no configuration.
os.environ.setdefault("SECRET_KEY", "tests-only-" + "k3y" * 20)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from crm.config.settings import *  # noqa: E402, F403
from crm.config.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The manifest needs collectstatic; tests use the plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Each test gets its own folder (tests/crm/documents/conftest.py), or the S3 endpoint.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="crm-test-documents-")},
    },
}
WHITENOISE_AUTOREFRESH = True
# The pool keeps connections across the test database switch; tests use plain connections.
DATABASES["default"]["OPTIONS"].pop("pool", None)
# SQLite test databases in memory are fastest; PostgreSQL gets test_<name>.

# django-axes refuses `client.login()` (it needs the request); tests that exercise the
# lockout turn it back on with the `axes_enabled` fixture (tests/security/conftest.py).
AXES_ENABLED = False
# Dashboard figures are computed on every request in tests (tests/reports turn the cache on).
REPORTS_CACHE_SECONDS = 0
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
