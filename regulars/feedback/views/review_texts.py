"""The review page's words in each customer language (en, th, hy), one dict per language with
the same keys; `texts(language)` falls back to English. A dict rather than gettext catalogues:
the page is small, and each sentence is kept whole so each language words it naturally.

The keys of services.photos.PROBLEMS are here too, so that a refused photo is explained in the
customer's language."""

from regulars.feedback.services.photos import PROBLEMS

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "page_title": "Review your order",
        "heading": "How do you like your order {order}?",
        "intro": "Rate each product. A few words help other shoppers choose.",
        "rating": "Your rating",
        "star_label": "{n} of 5 stars",
        "title": "Title (optional)",
        "body": "Your review",
        "photos": "Photos (optional): up to {max}, JPEG, PNG or WebP, {size} each",
        "submit": "Send my review",
        "update": "Update my review",
        "saved_published": "Thank you! Your review is published.",
        "saved_pending": "Thank you! Your review will appear once the store has checked it.",
        "pending_note": "Your review is waiting to be checked. You can still change it below.",
        "published_note": "You reviewed this product and your review is published. Thank you!",
        "closed_note": "You have already reviewed this product.",
        "already": "You have already reviewed this product; your review can no longer be changed.",
        "rating_required": "Choose from 1 to 5 stars.",
        "too_long": "Too long: at most {limit} characters.",
        "invalid": "Please check this field.",
        "unknown_product": "This product is not in your order.",
        "photos_again": "Photos are not kept when the form has a problem: please choose them again.",
        "no_products": "There is nothing to review in this order.",
        "your_photos": "Photos attached: {n}",
        "problem": "Please correct the problem below.",
        # The photo problems in English are the service's own sentences.
        **PROBLEMS,
    },
    "th": {
        "page_title": "รีวิวคำสั่งซื้อของคุณ",
        "heading": "คุณชอบสินค้าในคำสั่งซื้อ {order} ไหม?",
        "intro": "ให้คะแนนสินค้าแต่ละชิ้น ความเห็นสั้น ๆ ของคุณช่วยให้ผู้ซื้อคนอื่นตัดสินใจได้",
        "rating": "คะแนนของคุณ",
        "star_label": "{n} จาก 5 ดาว",
        "title": "หัวข้อ (ไม่บังคับ)",
        "body": "รีวิวของคุณ",
        "photos": "รูปภาพ (ไม่บังคับ): สูงสุด {max} รูป เป็น JPEG, PNG หรือ WebP รูปละไม่เกิน {size}",
        "submit": "ส่งรีวิว",
        "update": "แก้ไขรีวิว",
        "saved_published": "ขอบคุณ! รีวิวของคุณเผยแพร่แล้ว",
        "saved_pending": "ขอบคุณ! รีวิวของคุณจะแสดงหลังจากร้านค้าตรวจสอบแล้ว",
        "pending_note": "รีวิวของคุณกำลังรอการตรวจสอบ คุณยังแก้ไขได้ด้านล่าง",
        "published_note": "คุณรีวิวสินค้านี้แล้ว และรีวิวของคุณเผยแพร่แล้ว ขอบคุณ!",
        "closed_note": "คุณรีวิวสินค้านี้แล้ว",
        "already": "คุณรีวิวสินค้านี้แล้ว และไม่สามารถแก้ไขรีวิวได้อีก",
        "rating_required": "เลือก 1 ถึง 5 ดาว",
        "too_long": "ยาวเกินไป: ไม่เกิน {limit} ตัวอักษร",
        "invalid": "โปรดตรวจสอบช่องนี้",
        "unknown_product": "สินค้านี้ไม่อยู่ในคำสั่งซื้อของคุณ",
        "photos_again": "เมื่อแบบฟอร์มมีข้อผิดพลาด รูปภาพจะไม่ถูกเก็บไว้ โปรดเลือกรูปอีกครั้ง",
        "no_products": "ไม่มีสินค้าให้รีวิวในคำสั่งซื้อนี้",
        "your_photos": "รูปที่แนบ: {n} รูป",
        "problem": "โปรดแก้ไขปัญหาด้านล่าง",
        "label": "รูปที่ {number} ({name})",
        "label_unnamed": "รูปที่ {number}",
        "too_many": "รีวิวหนึ่งรายการมีรูปได้ไม่เกิน {max} รูป (เลือกไว้ {chosen} รูป)",
        "too_many_more": "รีวิวหนึ่งรายการมีรูปได้ไม่เกิน {max} รูป: มีอยู่แล้ว {already} รูป"
        " และเลือกเพิ่มอีก {chosen} รูป",
        "too_large": "ขนาด {size}: ไม่เกินรูปละ {limit}",
        "empty": "ไฟล์ว่างเปล่า",
        "pixels": "{width} × {height} พิกเซล: ไม่เกิน {limit} ล้านพิกเซล",
        "type": "รับเฉพาะรูป JPEG, PNG หรือ WebP",
        "animated": "เป็นภาพเคลื่อนไหว: รับเฉพาะภาพนิ่ง",
    },
    "hy": {
        "page_title": "Գնահատեք ձեր պատվերը",
        "heading": "Ինչպե՞ս եք գնահատում ձեր {order} պատվերը։",
        "intro": "Գնահատեք յուրաքանչյուր ապրանք։ Մի քանի բառը կօգնի այլ գնորդներին ընտրել։",
        "rating": "Ձեր գնահատականը",
        "star_label": "{n} աստղ 5-ից",
        "title": "Վերնագիր (ըստ ցանկության)",
        "body": "Ձեր կարծիքը",
        "photos": "Լուսանկարներ (ըստ ցանկության)՝ մինչև {max}, JPEG, PNG կամ WebP,"
        " յուրաքանչյուրը մինչև {size}",
        "submit": "Ուղարկել կարծիքը",
        "update": "Թարմացնել կարծիքը",
        "saved_published": "Շնորհակալություն։ Ձեր կարծիքը հրապարակված է։",
        "saved_pending": "Շնորհակալություն։ Ձեր կարծիքը կհայտնվի խանութի ստուգումից հետո։",
        "pending_note": "Ձեր կարծիքը սպասում է ստուգման։ Դեռ կարող եք այն փոխել ստորև։",
        "published_note": "Դուք գնահատել եք այս ապրանքը, և ձեր կարծիքը հրապարակված է։"
        " Շնորհակալություն։",
        "closed_note": "Դուք արդեն գնահատել եք այս ապրանքը։",
        "already": "Դուք արդեն գնահատել եք այս ապրանքը, և ձեր կարծիքն այլևս հնարավոր չէ փոխել։",
        "rating_required": "Ընտրեք 1-ից 5 աստղ։",
        "too_long": "Չափազանց երկար է՝ առավելագույնը {limit} նիշ։",
        "invalid": "Խնդրում ենք ստուգել այս դաշտը։",
        "unknown_product": "Այս ապրանքը ձեր պատվերում չէ։",
        "photos_again": "Երբ ձևում սխալ կա, լուսանկարները չեն պահպանվում․ խնդրում ենք կրկին"
        " ընտրել դրանք։",
        "no_products": "Այս պատվերում գնահատելու ոչինչ չկա։",
        "your_photos": "Կցված լուսանկարներ՝ {n}",
        "problem": "Խնդրում ենք ուղղել ստորև նշված խնդիրը։",
        "label": "լուսանկար {number} ({name})",
        "label_unnamed": "լուսանկար {number}",
        "too_many": "մեկ կարծիքին՝ առավելագույնը {max} լուսանկար ({chosen} է ընտրված)",
        "too_many_more": "մեկ կարծիքին՝ առավելագույնը {max} լուսանկար․ արդեն կա {already},"
        " և ընտրվել է ևս {chosen}",
        "too_large": "{size}․ յուրաքանչյուր լուսանկար՝ առավելագույնը {limit}",
        "empty": "ֆայլը դատարկ է",
        "pixels": "{width} × {height} պիքսել․ առավելագույնը {limit} մեգապիքսել",
        "type": "միայն JPEG, PNG կամ WebP պատկերներ",
        "animated": "շարժվող պատկեր է․ միայն անշարժ լուսանկարներ",
    },
}


def texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["en"])
