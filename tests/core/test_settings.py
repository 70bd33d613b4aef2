import pytest

from courtier.settings import email_settings


def test_console_email_by_default():
    assert email_settings("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_url_with_credentials_and_tls():
    out = email_settings("smtp://user%40mcn:p%C3%A9ss@mail.example:587?tls=1")
    assert out["EMAIL_HOST"] == "mail.example"
    assert out["EMAIL_PORT"] == 587
    assert out["EMAIL_HOST_USER"] == "user@mcn"
    assert out["EMAIL_HOST_PASSWORD"] == "péss"
    assert out["EMAIL_USE_TLS"] is True
    assert out["EMAIL_USE_SSL"] is False


def test_smtps_defaults_to_port_465():
    out = email_settings("smtps://mail.example")
    assert out["EMAIL_PORT"] == 465 and out["EMAIL_USE_SSL"] is True


def test_an_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unsupported scheme"):
        email_settings("imap://mail.example")


def settings_under(env: dict[str, str]) -> dict:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, courtier.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'DEBUG', "
        "'ALLOWED_HOSTS']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_https_turns_on_hsts_secure_cookies_and_the_redirect():
    s = settings_under(
        {"SITE_URL": "https://courtier.example", "ALLOWED_HOSTS": "courtier.example"}
    )
    assert s["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["ALLOWED_HOSTS"] == ["courtier.example"]


def test_plain_http_for_local_use_keeps_them_off():
    s = settings_under({"SITE_URL": "http://127.0.0.1:8000"})
    assert s["SECURE_HSTS_SECONDS"] is None
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["DEBUG"] is False
