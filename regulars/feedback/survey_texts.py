"""The words of the survey page and the survey e-mails, in English, Thai and Armenian.

A small dict per language rather than gettext catalogues: four parts of the feedback app are
written at once, and one shared .po file per language would be edited by all of them. Each
sentence is whole (placeholders in braces, filled with str.format), so that each language can
order its words naturally. Thai speaks in a store's polite voice (ค่ะ, นะคะ), Armenian with
the formal «դուք» and Armenian punctuation, as the journey messages do.
"""

LANGUAGES = ("en", "th", "hy")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your feedback",
        "nps_question": "How likely are you to recommend {store} to a friend or colleague?",
        "csat_question": "How satisfied are you with your experience with {store}?",
        "reason_question": "What is the main reason for your score?",
        "nps_low": "Not at all likely",
        "nps_high": "Extremely likely",
        "csat_low": "Very dissatisfied",
        "csat_high": "Very satisfied",
        "tap_a_score": "Tap a number to answer.",
        "score_saved": "Thank you! Your score of {score} is saved. Tap another number to change it.",
        "send": "Send",
        "send_answers": "Send my answers",
        "thanks_title": "Thank you!",
        "thanks": "We have your answer. Thank you for taking the time.",
        "change_answer": "Change my answer",
        "promoter": "We're so glad you're happy! Would you tell other shoppers what you think?",
        "write_review": "Write a review",
        "detractor": (
            "We're sorry we let you down. Someone from {store} will get in touch with you soon "
            "to put it right."
        ),
        "bad_score": "That score is not on the scale: choose a number from {low} to {high}.",
        "required": "Please answer this question.",
        "bad_choice": "Please choose one of the options.",
        "too_long": "Please keep it under {limit} characters.",
        "score_first": "Please choose a score first.",
        "kept_score": (
            "You chose {score} on this page, so we kept that answer. Tap another number below "
            "to change it."
        ),
        "optional": "optional",
        "not_found_title": "This link is not valid",
        "not_found": "Please check that you opened the whole link from your message.",
        "rate_limited_title": "Too many requests",
        "rate_limited": "Please wait {seconds} seconds and try again.",
        "reply_subject": "A reply to your feedback from {store}",
        "you_wrote": "You wrote:",
    },
    "th": {
        "title": "ความคิดเห็นของคุณ",
        "nps_question": "คุณมีแนวโน้มจะแนะนำ {store} ให้เพื่อนหรือคนรู้จักมากน้อยแค่ไหนคะ",
        "csat_question": "คุณพึงพอใจกับประสบการณ์ที่ได้รับจาก {store} มากน้อยแค่ไหนคะ",
        "reason_question": "เหตุผลหลักที่คุณให้คะแนนนี้คืออะไรคะ",
        "nps_low": "ไม่แนะนำเลย",
        "nps_high": "แนะนำแน่นอน",
        "csat_low": "ไม่พอใจมาก",
        "csat_high": "พอใจมาก",
        "tap_a_score": "แตะตัวเลขเพื่อให้คะแนนได้เลยค่ะ",
        "score_saved": "ขอบคุณค่ะ บันทึกคะแนน {score} ของคุณแล้ว แตะตัวเลขอื่นหากต้องการเปลี่ยนนะคะ",
        "send": "ส่ง",
        "send_answers": "ส่งคำตอบ",
        "thanks_title": "ขอบคุณค่ะ",
        "thanks": "เราได้รับคำตอบของคุณแล้ว ขอบคุณที่สละเวลานะคะ",
        "change_answer": "เปลี่ยนคำตอบ",
        "promoter": "ดีใจมากที่คุณประทับใจค่ะ ช่วยเล่าให้ลูกค้าคนอื่นฟังหน่อยได้ไหมคะ",
        "write_review": "เขียนรีวิว",
        "detractor": "ขออภัยที่ทำให้คุณผิดหวังค่ะ ทีมงาน {store} จะติดต่อกลับหาคุณโดยเร็วเพื่อแก้ไขให้นะคะ",
        "bad_score": "คะแนนนี้ไม่อยู่ในช่วงที่กำหนด กรุณาเลือกตัวเลขตั้งแต่ {low} ถึง {high} ค่ะ",
        "required": "กรุณาตอบคำถามนี้ค่ะ",
        "bad_choice": "กรุณาเลือกหนึ่งตัวเลือกค่ะ",
        "too_long": "กรุณาเขียนไม่เกิน {limit} ตัวอักษรค่ะ",
        "score_first": "กรุณาเลือกคะแนนก่อนนะคะ",
        "kept_score": (
            "คุณเลือก {score} ไว้ในหน้านี้แล้ว เราจึงเก็บคำตอบนั้นไว้ค่ะ "
            "หากต้องการเปลี่ยน แตะตัวเลขอื่นด้านล่างได้เลยนะคะ"
        ),
        "optional": "ไม่บังคับ",
        "not_found_title": "ลิงก์นี้ใช้ไม่ได้",
        "not_found": "กรุณาตรวจสอบว่าเปิดลิงก์จากข้อความของคุณครบทั้งหมดแล้วค่ะ",
        "rate_limited_title": "มีการเรียกใช้มากเกินไป",
        "rate_limited": "กรุณารอ {seconds} วินาทีแล้วลองใหม่อีกครั้งค่ะ",
        "reply_subject": "{store} ตอบกลับความคิดเห็นของคุณค่ะ",
        "you_wrote": "คุณเขียนว่า:",
    },
    "hy": {
        "title": "Ձեր կարծիքը",
        "nps_question": (
            "Որքա՞ն հավանական է, որ {store} խանութը խորհուրդ տաք ընկերոջը կամ գործընկերոջը։"
        ),
        "csat_question": "Որքանո՞վ եք գոհ {store} խանութի հետ ձեր փորձառությունից։",
        "reason_question": "Ո՞րն է ձեր գնահատականի գլխավոր պատճառը։",
        "nps_low": "Բոլորովին հավանական չէ",
        "nps_high": "Անպայման",
        "csat_low": "Բոլորովին գոհ չեմ",
        "csat_high": "Շատ գոհ եմ",
        "tap_a_score": "Պատասխանելու համար սեղմեք թվի վրա։",
        "score_saved": (
            "Շնորհակալություն։ Ձեր {score} գնահատականը պահպանված է։ Փոխելու համար սեղմեք մեկ "
            "այլ թվի վրա։"
        ),
        "send": "Ուղարկել",
        "send_answers": "Ուղարկել պատասխանները",
        "thanks_title": "Շնորհակալություն",
        "thanks": "Ձեր պատասխանը ստացանք։ Շնորհակալ ենք ձեր ժամանակի համար։",
        "change_answer": "Փոխել պատասխանը",
        "promoter": ("Ուրախ ենք, որ գոհ եք։ Կպատմե՞ք ձեր կարծիքը, որ մյուս գնորդներն էլ իմանան։"),
        "write_review": "Գրել կարծիք",
        "detractor": (
            "Ներողություն ենք խնդրում, որ հիասթափեցրինք ձեզ։ {store} խանութից շուտով կկապվեն "
            "ձեզ հետ՝ ամեն ինչ շտկելու համար։"
        ),
        "bad_score": "Այդ գնահատականը սանդղակում չէ․ ընտրեք թիվ {low}-ից {high}։",
        "required": "Խնդրում ենք պատասխանել այս հարցին։",
        "bad_choice": "Խնդրում ենք ընտրել տարբերակներից մեկը։",
        "too_long": "Խնդրում ենք գրել ոչ ավելի, քան {limit} նիշ։",
        "score_first": "Խնդրում ենք նախ ընտրել գնահատականը։",
        "kept_score": (
            "Այս էջում դուք ընտրել եք {score}, և մենք պահպանել ենք այդ պատասխանը։ Փոխելու "
            "համար սեղմեք ստորև մեկ այլ թվի վրա։"
        ),
        "optional": "ըստ ցանկության",
        "not_found_title": "Այս հղումն անվավեր է",
        "not_found": "Ստուգեք, որ բացել եք ձեր նամակի ամբողջական հղումը։",
        "rate_limited_title": "Չափազանց շատ հարցումներ",
        "rate_limited": "Խնդրում ենք սպասել {seconds} վայրկյան և նորից փորձել։",
        "reply_subject": "{store} խանութի պատասխանը ձեր կարծիքին",
        "you_wrote": "Դուք գրել եք՝",
    },
}


def texts_for(language: str) -> dict[str, str]:
    """The words in `language`, English for a language without its own."""
    return TEXTS.get((language or "en").split("-")[0].lower(), TEXTS["en"])


def text(language: str, key: str, **values) -> str:
    words = texts_for(language)[key]
    return words.format(**values) if values else words
