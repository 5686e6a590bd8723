"""The customer's pages speak the customer's language: Thai, Armenian, their fallbacks."""

import pytest

from regulars.commerce.models import ConsentChange
from regulars.core.services import do_create_store
from regulars.messaging import links
from regulars.messaging.services.preferences import customer_language
from regulars.messaging.tests.link_pages import make_customer, path_of


def test_the_preference_page_in_thai(client, store):
    customer = make_customer(store, language="th")
    response = client.get(path_of(links.preferences_url(customer)))
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert response["Content-Language"] == "th"
    assert "การตั้งค่าการรับข้อความของคุณ" in page
    assert "บันทึกตัวเลือก" in page
    assert (
        "ฉันยินยอมรับข้อความ SMS การตลาดจาก Vinyl Corner ที่หมายเลขโทรศัพท์ของฉัน "
        "ความถี่ของข้อความอาจแตกต่างกันไป อาจมีค่าบริการข้อความและอินเทอร์เน็ต "
        "ตอบกลับ STOP เพื่อยกเลิกการรับ"
    ) in page
    assert "Save my choices" not in page


def test_the_preference_page_in_armenian(client, store):
    customer = make_customer(store, language="hy")
    response = client.get(path_of(links.preferences_url(customer)))
    page = response.content.decode()
    assert '<html lang="hy">' in page
    assert "Ձեր հաղորդագրությունների կարգավորումները" in page
    assert "Պահպանել ընտրությունը" in page
    assert "Հրաժարվելու համար պատասխանեք STOP։" in page
    assert "Save my choices" not in page


def test_the_consent_kept_is_the_thai_text_the_customer_saw(client, store):
    customer = make_customer(store, language="th")
    client.post(path_of(links.preferences_url(customer)), data={"channel": ["email", "sms"]})
    change = ConsentChange.objects.get(customer=customer, channel="sms")
    assert change.state == "subscribed"
    assert change.text.startswith("ฉันยินยอมรับข้อความ SMS การตลาดจาก Vinyl Corner")


def test_the_unsubscribe_page_in_armenian_and_thai(client, store):
    armenian = make_customer(store, language="hy")
    page = client.get(path_of(links.unsubscribe_url(armenian, "email"))).content.decode()
    assert (
        "Դադարեցնե՞լ Vinyl Corner խանութի գովազդային էլ. նամակների ուղարկումը "
        "ana@example.com հասցեին"
    ) in page
    thai = make_customer(store, external_id="c2", email="somchai@example.com", language="th")
    done = client.post(path_of(links.unsubscribe_url(thai, "email"))).content.decode()
    assert "somchai@example.com จะไม่ได้รับอีเมลการตลาดจาก Vinyl Corner อีกต่อไป" in done


def test_the_page_follows_the_customer_not_the_browser(client, store):
    customer = make_customer(store, language="hy")
    response = client.get(
        path_of(links.preferences_url(customer)), HTTP_ACCEPT_LANGUAGE="th,en;q=0.5"
    )
    assert '<html lang="hy">' in response.content.decode()


@pytest.mark.parametrize(
    ("customer_language_code", "store_language", "expected"),
    [
        ("th", "en", "th"),
        ("th-TH", "en", "th"),
        ("hy_AM", "en", "hy"),
        ("de", "hy", "hy"),
        ("", "th", "th"),
        ("de", "fr", "en"),
        ("", "de", "en"),
    ],
)
def test_the_language_falls_back_to_the_base_language_then_the_store_then_english(
    owner, customer_language_code, store_language, expected
):
    shop = do_create_store(
        name="Shop", currency="USD", timezone_name="UTC", language=store_language, owner=owner
    )
    customer = make_customer(shop)
    customer.language = customer_language_code
    assert customer_language(customer) == expected
