"""E-mail settings come from the environment: SMTP by default, a file for `make run`, any
anymail provider by name with its ANYMAIL_* variables; a wrong value stops start-up.

Each test starts a fresh Python process, as the web app starts, with only the variables given.
"""

import json
import os
import subprocess
import sys

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: str(getattr(settings, name)) if name == "EMAIL_FILE_PATH"
                  else getattr(settings, name) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL", "EMAIL_FILE_PATH",
    "ANYMAIL")}))
"""


def _start(tmp_path, code: str, **variables) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("EMAIL_", "ANYMAIL_", "REGULARS_", "DEFAULT_FROM_EMAIL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="regulars.settings",
        SECRET_KEY="settings-test-key",
        REGULARS_VAR_DIR=str(tmp_path),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def _settings(tmp_path, **variables) -> dict:
    result = _start(tmp_path, PRINT_SETTINGS, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_provider_mail_goes_through_smtp_with_the_environments_server(tmp_path):
    assert _settings(tmp_path) | {"EMAIL_FILE_PATH": None} == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "shop@localhost",
        "EMAIL_FILE_PATH": None,
        "ANYMAIL": {},
    }
    password_file = tmp_path / "smtp-password"
    password_file.write_text("s3cret\n")
    configured = _settings(
        tmp_path,
        REGULARS_EMAIL_PROVIDER="smtp",
        EMAIL_HOST="smtp.example.net",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="shop@example.net",
        EMAIL_HOST_PASSWORD_FILE=str(password_file),
        EMAIL_USE_TLS="yes",
        EMAIL_TIMEOUT="30",
        DEFAULT_FROM_EMAIL="Vinyl Corner <shop@example.net>",
    )
    assert configured["EMAIL_HOST"] == "smtp.example.net"
    assert configured["EMAIL_PORT"] == 587
    assert configured["EMAIL_HOST_USER"] == "shop@example.net"
    assert configured["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert (configured["EMAIL_USE_TLS"], configured["EMAIL_USE_SSL"]) == (True, False)
    assert configured["EMAIL_TIMEOUT"] == 30
    assert configured["DEFAULT_FROM_EMAIL"] == "Vinyl Corner <shop@example.net>"


def test_the_file_provider_writes_each_message_under_var_mail(tmp_path):
    send = (
        "import django; django.setup()\n"
        "from django.core.mail import send_mail\n"
        "send_mail('Your order', 'Thanks!', None, ['ana@example.com'])\n"
    )

    result = _start(tmp_path, send, REGULARS_EMAIL_PROVIDER="file")

    assert result.returncode == 0, result.stderr
    [written] = (tmp_path / "mail").iterdir()
    text = written.read_text()
    assert "Subject: Your order" in text
    assert "From: shop@localhost" in text
    assert "To: ana@example.com" in text


def test_a_provider_name_selects_its_anymail_backend_and_settings(tmp_path):
    token_file = tmp_path / "postmark-token"
    token_file.write_text("pm-server-token\n")

    configured = _settings(
        tmp_path,
        REGULARS_EMAIL_PROVIDER="Postmark",
        ANYMAIL_POSTMARK_SERVER_TOKEN_FILE=str(token_file),
        ANYMAIL_WEBHOOK_SECRET="provider:Vd8-sQ3nW1xZ",
        ANYMAIL_IGNORE_UNSUPPORTED_FEATURES="true",
        ANYMAIL_AMAZON_SES_CLIENT_PARAMS='{"region_name": "eu-west-1"}',
    )

    assert configured["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert configured["ANYMAIL"] == {
        "POSTMARK_SERVER_TOKEN": "pm-server-token",
        "WEBHOOK_SECRET": "provider:Vd8-sQ3nW1xZ",
        "IGNORE_UNSUPPORTED_FEATURES": True,
        "AMAZON_SES_CLIENT_PARAMS": {"region_name": "eu-west-1"},
    }


def test_an_unknown_provider_stops_start_up_naming_the_variable(tmp_path):
    result = _start(tmp_path, PRINT_SETTINGS, REGULARS_EMAIL_PROVIDER="mailchimp")

    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        "SettingError: REGULARS_EMAIL_PROVIDER='mailchimp' is not an e-mail provider; use smtp,"
        " file or one of amazon_ses, brevo, mailersend, mailgun, mailjet, mailtrap, mandrill,"
        " postal, postmark, resend, scaleway, sendgrid, sparkpost, unisender_go"
    ) in result.stderr


def test_tls_and_ssl_together_stop_start_up(tmp_path):
    result = _start(tmp_path, PRINT_SETTINGS, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")

    assert result.returncode == 1
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on; pick one" in result.stderr


def test_a_broken_json_anymail_value_stops_start_up(tmp_path):
    result = _start(tmp_path, PRINT_SETTINGS, ANYMAIL_AMAZON_SES_CLIENT_PARAMS='{"region_name": }')

    assert result.returncode == 1
    assert "ANYMAIL_AMAZON_SES_CLIENT_PARAMS is not valid JSON" in result.stderr
