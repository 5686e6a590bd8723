"""The built-in journey messages in Thai, in a store's polite voice (ค่ะ, นะคะ).

Thai SMS are UCS-2: 70 characters in one segment, 67 per segment beyond.
"""

from regulars.journeys.templates_library import blocks
from regulars.journeys.templates_library.blocks import Email, Sms

HI = '<p>สวัสดีค่ะ คุณ{{ customer.first_name | default: "ลูกค้า" }}</p>\n'
NAME = "{% if customer.first_name != blank %} คุณ{{ customer.first_name }}{% endif %}"
SIGNED = "<p>ขอบคุณค่ะ<br>\nทีมงาน {{ store.name }}</p>\n"
FOOTER = blocks.preferences("ตั้งค่าการรับอีเมลของคุณ")
COUPON = blocks.coupon(code="โค้ดส่วนลดของคุณ:", until="ใช้ได้ถึงวันที่", how="กรอกโค้ดนี้ตอนชำระเงินได้เลยค่ะ")
STOP = " ตอบ STOP เพื่อยกเลิก"
EXPIRES = "{% if coupon.expires_at != blank %} ใช้ได้ถึง {{ coupon.expires_at }}{% endif %}"

ORDER_TOTALS = blocks.order_totals(
    subtotal="ราคาสินค้า:", shipping="ค่าจัดส่ง:", discount="ส่วนลด (CODES):", total="ยอดชำระทั้งหมด:"
)
CART = blocks.cart(total="ยอดรวม:", button="กลับไปที่ตะกร้าสินค้า")
TRACKING = blocks.tracking(link="ติดตามพัสดุ", number="เลขพัสดุ:")

TEXTS: dict[str, dict[str, Email | Sms]] = {
    "order_confirmation": {
        "email": Email(
            "ยืนยันคำสั่งซื้อ",
            "ได้รับคำสั่งซื้อ {{ order.name }} แล้วค่ะ",
            HI
            + "<p>ขอบคุณที่สั่งซื้อสินค้ากับ {{ store.name }} นะคะ รายการที่คุณสั่งมีดังนี้ค่ะ</p>\n"
            + blocks.order_lines()
            + ORDER_TOTALS
            + "<p><strong>ขั้นตอนต่อไป:</strong> เราจะแพ็กสินค้าให้อย่างดี "
            "และส่งลิงก์ติดตามพัสดุให้ทันทีที่จัดส่งค่ะ</p>\n"
            "<p>มีคำถามหรืออยากแก้ไขคำสั่งซื้อ ตอบกลับอีเมลนี้ได้เลยนะคะ "
            "ข้อความจะส่งถึงทีมงานของเราโดยตรงค่ะ</p>\n" + SIGNED,
        ),
        "sms": Sms(
            "ยืนยันคำสั่งซื้อ",
            "{{ store.name }}: ขอบคุณสำหรับคำสั่งซื้อ {{ order.name }} ({{ order.total }}) ค่ะ "
            "เราจะส่งลิงก์ติดตามพัสดุให้ทันทีที่จัดส่งนะคะ",
        ),
    },
    "shipping_update": {
        "email": Email(
            "อัปเดตการจัดส่ง",
            "{% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}คำสั่งซื้อ {{ order.name }} จะถึงมือคุณวันนี้ค่ะ"
            "{% when 'delivered' %}คำสั่งซื้อ {{ order.name }} ส่งถึงแล้วค่ะ"
            "{% when 'failed' %}การจัดส่งคำสั่งซื้อ {{ order.name }} ไม่สำเร็จ"
            "{% else %}คำสั่งซื้อ {{ order.name }} จัดส่งแล้วค่ะ"
            "{% endcase %}",
            HI + "{% case fulfillment.status %}\n"
            "{% when 'out_for_delivery' %}\n"
            "<p>ข่าวดีค่ะ คำสั่งซื้อ {{ order.name }} กำลังออกนำส่ง "
            "และน่าจะถึงมือคุณภายในวันนี้ค่ะ</p>\n"
            "{% when 'delivered' %}\n"
            "<p>คำสั่งซื้อ {{ order.name }} ส่งถึงเรียบร้อยแล้วค่ะ หวังว่าคุณจะถูกใจนะคะ</p>\n"
            "<p>หากสินค้าไม่ครบหรือมีปัญหาใด ๆ ตอบกลับอีเมลนี้ได้เลย เราจะรีบดูแลให้ค่ะ</p>\n"
            "{% when 'failed' %}\n"
            "<p>ขออภัยค่ะ บริษัทขนส่งไม่สามารถส่งคำสั่งซื้อ {{ order.name }} ได้ "
            "ดูขั้นตอนถัดไปได้ที่หน้าติดตามพัสดุ หรือตอบกลับอีเมลนี้ "
            "แล้วเราจะช่วยให้คุณได้รับสินค้านะคะ</p>\n"
            "{% else %}\n"
            "<p>เราจัดส่งคำสั่งซื้อ {{ order.name }} ให้คุณแล้ว สินค้ากำลังเดินทางไปหาคุณค่ะ</p>\n"
            "{% endcase %}\n"
            "{% unless fulfillment.status == 'delivered' %}\n"
            + TRACKING
            + "{% endunless %}\n"
            + SIGNED,
        ),
        "sms": Sms(
            "อัปเดตการจัดส่ง",
            "{{ store.name }}: {% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}คำสั่งซื้อ {{ order.name }} จะถึงมือคุณวันนี้ค่ะ"
            "{% when 'delivered' %}คำสั่งซื้อ {{ order.name }} ส่งถึงแล้วค่ะ ขอให้ถูกใจนะคะ"
            "{% when 'failed' %}จัดส่งคำสั่งซื้อ {{ order.name }} ไม่สำเร็จค่ะ"
            "{% if fulfillment.tracking_url != blank %} ดูรายละเอียด:{% endif %}"
            "{% else %}คำสั่งซื้อ {{ order.name }} จัดส่งแล้วค่ะ"
            "{% endcase %}"
            "{% if fulfillment.status != 'delivered' and fulfillment.tracking_url != blank %}"
            " {{ fulfillment.tracking_url }}{% endif %}",
        ),
    },
    "delivery_followup": {
        "email": Email(
            "สอบถามหลังได้รับสินค้า",
            "ได้รับสินค้าครบเรียบร้อยดีไหมคะ",
            HI + "<p>คำสั่งซื้อ {{ order.name }} ส่งถึงคุณแล้ว "
            "เราอยากทราบว่าได้รับสินค้าครบและเรียบร้อยดีไหมคะ</p>\n"
            + blocks.score_buttons(
                question="คุณมีแนวโน้มจะแนะนำ {{ store.name }} ให้เพื่อนมากน้อยแค่ไหนคะ แตะตัวเลขได้เลยค่ะ",
                low="0 = ไม่แนะนำเลย",
                high="10 = แนะนำแน่นอน",
                csat_question="คุณพึงพอใจกับคำสั่งซื้อจาก {{ store.name }} มากน้อยแค่ไหนคะ แตะตัวเลขได้เลยค่ะ",
                csat_low="1 = ไม่พอใจมาก",
                csat_high="5 = พอใจมาก",
            )
            + "{% if data.feedback_url.size > 0 %}\n"
            '<p><a href="{{ data.feedback_url }}"><strong>บอกเราหน่อยนะคะ</strong></a> '
            "ใช้เวลาเพียงไม่กี่วินาทีค่ะ</p>\n"
            "<p>หากสินค้าไม่ครบหรือเสียหาย ตอบกลับอีเมลนี้ได้เลย เราจะรีบแก้ไขให้ค่ะ</p>\n"
            "{% else %}\n"
            "<p>ตอบกลับอีเมลนี้เพื่อเล่าให้เราฟังได้เลยนะคะ "
            "หากสินค้าไม่ครบหรือเสียหาย เราจะรีบแก้ไขให้ค่ะ</p>\n"
            "{% endif %}\n" + SIGNED,
        ),
    },
    "review_request": {
        "email": Email(
            "ขอรีวิวสินค้า",
            "ถูกใจสินค้าที่สั่งไปไหมคะ" + NAME,
            HI + "<p>หวังว่าคุณจะถูกใจสินค้าจาก {{ store.name }} นะคะ "
            "ขอเวลาสักครู่ช่วยรีวิวให้เราหน่อยได้ไหมคะ "
            "รีวิวของคุณช่วยให้ลูกค้าคนอื่นตัดสินใจได้ง่ายขึ้น และช่วยให้เราพัฒนาให้ดียิ่งขึ้นค่ะ</p>\n"
            "{% if data.review_url.size > 0 %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            "<li>{{ line.title }}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            '<p><a href="{{ data.review_url }}"><strong>เขียนรีวิว</strong></a></p>\n'
            "{% else %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            '<li>{% if line.url != blank %}<a href="{{ line.url }}">รีวิว {{ line.title }}</a>'
            "{% else %}{{ line.title }}{% endif %}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            "{% endif %}\n"
            "<p>ขอบคุณมากค่ะ<br>\nทีมงาน {{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_thanks": {
        "email": Email(
            "ขอบคุณสำหรับคำสั่งซื้อแรก",
            "ขอบคุณที่เลือก {{ store.name }} ค่ะ",
            HI + "<p>ขอบคุณที่ไว้วางใจสั่งซื้อกับเราเป็นครั้งแรกนะคะ (คำสั่งซื้อ {{ order.name }}) "
            "ทุกคนที่ {{ store.name }} ดีใจมากค่ะ</p>\n"
            "<p>เรากำลังดูแลคำสั่งซื้อของคุณอย่างดี หากต้องการอะไรเพิ่มเติม "
            "ตอบกลับอีเมลนี้ได้เลยนะคะ</p>\n"
            "<p>หวังว่าจะได้ดูแลคุณอีกหลาย ๆ ครั้งค่ะ</p>\n"
            "<p>ด้วยความขอบคุณ<br>\nทีมงาน {{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_anniversary": {
        "email": Email(
            "ครบรอบคำสั่งซื้อแรก",
            "ครบ {{ data.years | default: 1 }} ปีที่คุณอยู่กับเรา"
            "{% if coupon %} มีของขวัญมาให้ค่ะ{% else %}ค่ะ{% endif %}",
            HI + "<p>เมื่อ {{ data.years | default: 1 }} ปีก่อน"
            "{% if data.first_order_at.size > 0 %} (วันที่ {{ data.first_order_at }}){% endif %} "
            "คุณสั่งซื้อกับ {{ store.name }} เป็นครั้งแรก ขอบคุณที่อยู่กับเรามาตลอดนะคะ</p>\n"
            "{% if coupon %}<p>เพื่อฉลองโอกาสนี้ เรามีของขวัญเล็ก ๆ มาให้ค่ะ</p>{% endif %}\n"
            + COUPON
            + "<p>ขอบคุณค่ะ<br>\nทีมงาน {{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
    "birthday_coupon": {
        "email": Email(
            "คูปองวันเกิด",
            "สุขสันต์วันเกิดนะคะ" + NAME + "{% if coupon %} มีของขวัญจาก {{ store.name }} มาให้ค่ะ"
            "{% endif %}",
            "<p>สุขสันต์วันเกิดนะคะ" + NAME + "</p>\n"
            "<p>ทุกคนที่ {{ store.name }} ขอให้วันนี้เป็นวันที่แสนพิเศษของคุณ"
            "{% if coupon %} และนี่คือของขวัญเล็ก ๆ จากเราค่ะ{% endif %}</p>\n"
            + COUPON
            + "<p>ขอให้มีความสุขมาก ๆ นะคะ<br>\nทีมงาน {{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "คูปองวันเกิด",
            "{{ store.name }}: สุขสันต์วันเกิดนะคะ"
            + NAME
            + "{% if coupon %} รับโค้ดของขวัญ {{ coupon.code }}"
            + EXPIRES
            + "{% endif %}"
            + STOP,
        ),
    },
    "winback": {
        "email": Email(
            "ชวนกลับมาช้อป",
            "คิดถึงนะคะ" + NAME + "{% if coupon %} มีของขวัญต้อนรับกลับมาให้ค่ะ{% endif %}",
            HI + "<p>ไม่ได้เจอกันนานเลย ทุกคนที่ {{ store.name }} คิดถึงคุณนะคะ"
            "{% if coupon %} เรามีของขวัญเล็ก ๆ ต้อนรับการกลับมาของคุณค่ะ{% endif %}</p>\n"
            + COUPON
            + blocks.recommended("สินค้าที่เราคิดว่าคุณน่าจะถูกใจ:")
            + "<p>หวังว่าจะได้พบกันอีกเร็ว ๆ นี้นะคะ<br>\nทีมงาน {{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "ชวนกลับมาช้อป",
            "{{ store.name }}: คิดถึงนะคะ"
            + NAME
            + "{% if coupon %} รับโค้ดต้อนรับกลับ {{ coupon.code }}"
            + EXPIRES
            + "{% elsif recommended_products.size > 0 %} สินค้าแนะนำ: "
            "{{ recommended_products.first.url }}{% endif %}" + STOP,
        ),
    },
    "cart_reminder": {
        "email": Email(
            "เตือนตะกร้าสินค้า",
            "คุณลืมสินค้าไว้ในตะกร้านะคะ",
            HI
            + "<p>คุณยังมีสินค้าค้างอยู่ในตะกร้าที่ {{ store.name }} เราเก็บไว้ให้แล้วค่ะ</p>\n"
            + CART
            + "<p>มีคำถามเรื่องขนาด การจัดส่ง หรือเรื่องอื่น ๆ ตอบกลับอีเมลนี้ได้เลยนะคะ</p>\n"
            + SIGNED
            + FOOTER,
        ),
        "sms": Sms(
            "เตือนตะกร้าสินค้า",
            "{{ store.name }}: สินค้าในตะกร้าของคุณ"
            "{% if data.cart.total.size > 0 %} ({{ data.cart.total }}){% endif %} "
            "ยังรออยู่นะคะ"
            "{% if data.cart.url.size > 0 %} สั่งซื้อต่อได้ที่ {{ data.cart.url }}{% endif %}" + STOP,
        ),
    },
    "cart_reminder_second": {
        "email": Email(
            "เตือนตะกร้าสินค้า (ครั้งที่สอง)",
            "{% if coupon %}มีของขวัญพิเศษสำหรับตะกร้าของคุณค่ะ"
            "{% else %}สินค้าในตะกร้ายังรอคุณอยู่นะคะ{% endif %}",
            HI
            + "<p>สินค้าในตะกร้าที่ {{ store.name }} ยังรอคุณอยู่นะคะ</p>\n"
            + CART
            + "{% if coupon %}<p>เพื่อให้ตัดสินใจง่ายขึ้น เรามีของขวัญพิเศษมาให้ค่ะ</p>{% endif %}\n"
            + COUPON
            + blocks.recommended("คุณอาจถูกใจสินค้าเหล่านี้ด้วย:")
            + SIGNED
            + FOOTER,
        ),
    },
    "champions_surprise": {
        "email": Email(
            "เซอร์ไพรส์สำหรับลูกค้าคนพิเศษ",
            "เซอร์ไพรส์เล็ก ๆ สำหรับคุณ{{ customer.first_name }} ค่ะ",
            HI + "<p>{% if customer.orders_count > 1 %}คุณสั่งซื้อกับ {{ store.name }} "
            "มาแล้ว {{ customer.orders_count }} ครั้ง {% endif %}"
            "ลูกค้าอย่างคุณคือเหตุผลที่เรารักในสิ่งที่ทำ ขอบคุณมากนะคะ</p>\n"
            "{% if coupon %}<p>เราจึงมีเซอร์ไพรส์เล็ก ๆ มาให้คุณโดยเฉพาะค่ะ</p>{% endif %}\n"
            + COUPON
            + "<p>ด้วยความขอบคุณ<br>\nทีมงาน {{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
}
