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
