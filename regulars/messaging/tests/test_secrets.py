import pytest

from regulars.messaging.secrets import SecretError, decrypt, encrypt, hint

URL = "twilio://AC0123456789abcdef0123456789abcdef:tok3n-value@+15551230000/{phone}"


def test_a_secret_comes_back_as_it_was_saved():
    token = encrypt(URL)

    assert decrypt(token) == URL


def test_the_stored_form_does_not_contain_the_secret():
    token = encrypt(URL)

    assert "tok3n-value" not in token
    assert "AC0123456789" not in token


def test_text_in_any_script_survives():
    assert decrypt(encrypt("รหัสลับ Գաղտնի")) == "รหัสลับ Գաղտնի"


def test_a_tampered_token_raises_a_clear_error():
    token = encrypt(URL)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]

    with pytest.raises(SecretError) as caught:
        decrypt(tampered)

    assert caught.value.field == "secret"
    assert caught.value.message.startswith("A stored channel secret cannot be decrypted")


def test_a_different_secret_key_cannot_decrypt(settings):
    token = encrypt(URL)
    settings.SECRET_KEY = "another-installation-" + "x" * 40

    with pytest.raises(SecretError):
        decrypt(token)


def test_a_rotated_secret_key_still_decrypts_through_its_fallback(settings):
    old_key = settings.SECRET_KEY
    token = encrypt(URL)
    settings.SECRET_KEY = "the-new-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert decrypt(token) == URL


def test_the_hint_shows_only_the_last_four_characters():
    assert hint("whsec_abcdefghijkl") == "…ijkl"


def test_a_short_secret_gets_no_characters_in_its_hint():
    assert hint("abc1234") == "…"
    assert hint("") == ""
