"""The built-in journey messages in Armenian: the formal «դուք», Armenian punctuation.

The store's name is Latin more often than not, so it stands before «խանութ» rather than
taking an Armenian case ending. Armenian SMS are UCS-2: 70 characters in one segment, 67 per
segment beyond.
"""

from regulars.journeys.templates_library import blocks
from regulars.journeys.templates_library.blocks import Email, Sms

HI = '<p>Բարև ձեզ, {{ customer.first_name | default: "հարգելի հաճախորդ" }}։</p>\n'
NAME = "{% if customer.first_name != blank %}, {{ customer.first_name }}{% endif %}"
SIGNED = "<p>Ջերմ բարևներով՝<br>\n{{ store.name }}</p>\n"
FOOTER = blocks.preferences("Կառավարեք ձեր նամակների կարգավորումները")
COUPON = blocks.coupon(
    code="Ձեր կոդը՝", until="Գործում է մինչև", how="Մուտքագրեք կոդը պատվերը ձևակերպելիս։"
)
STOP = " Հրաժարվելու համար՝ STOP"
EXPIRES = "{% if coupon.expires_at != blank %}, գործում է մինչև {{ coupon.expires_at }}{% endif %}"

ORDER_TOTALS = blocks.order_totals(
    subtotal="Ապրանքներ՝", shipping="Առաքում՝", discount="Զեղչ (CODES)՝", total="Ընդամենը՝"
)
CART = blocks.cart(total="Ընդամենը՝", button="Վերադառնալ զամբյուղ")
TRACKING = blocks.tracking(link="Հետևել առաքմանը", number="Հետևման համար՝")
FROM_STORE = "{{ store.name }} խանութից ձեր {{ order.name }} "

TEXTS: dict[str, dict[str, Email | Sms]] = {
    "order_confirmation": {
        "email": Email(
            "Պատվերի հաստատում",
            "Ձեր {{ order.name }} պատվերն ընդունված է",
            HI + "<p>Շնորհակալություն {{ store.name }} խանութում պատվեր կատարելու համար։ "
            "Ահա թե ինչ եք պատվիրել՝</p>\n"
            + blocks.order_lines()
            + ORDER_TOTALS
            + "<p><strong>Ինչ է լինելու հետո՝</strong> մենք խնամքով կփաթեթավորենք ձեր "
            "պատվերը և կուղարկենք առաքմանը հետևելու հղումը, հենց որ այն ճանապարհ ընկնի։</p>\n"
            "<p>Եթե հարցեր ունեք կամ ուզում եք ինչ-որ բան փոխել, պարզապես պատասխանեք այս "
            "նամակին՝ այն ուղիղ մեզ է հասնում։</p>\n" + SIGNED,
        ),
        "sms": Sms(
            "Պատվերի հաստատում",
            "Շնորհակալություն {{ store.name }} խանութում կատարած {{ order.name }} պատվերի համար "
            "({{ order.total }})։ Հետևելու հղումը կուղարկենք, երբ այն ճանապարհ ընկնի։",
        ),
    },
    "shipping_update": {
        "email": Email(
            "Առաքման մասին",
            "{% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}Ձեր {{ order.name }} պատվերն այսօր կհասնի ձեզ"
            "{% when 'delivered' %}Ձեր {{ order.name }} պատվերն առաքված է"
            "{% when 'failed' %}Չհաջողվեց առաքել ձեր {{ order.name }} պատվերը"
            "{% else %}Ձեր {{ order.name }} պատվերը ճանապարհին է"
            "{% endcase %}",
            HI + "{% case fulfillment.status %}\n"
            "{% when 'out_for_delivery' %}\n"
            "<p>Լավ լուր՝ ձեր {{ order.name }} պատվերն արդեն առաքիչի մոտ է և այսօր կհասնի "
            "ձեզ։</p>\n"
            "{% when 'delivered' %}\n"
            "<p>Ձեր {{ order.name }} պատվերն առաքված է։ Հուսով ենք՝ այն ձեզ դուր կգա։</p>\n"
            "<p>Եթե ինչ-որ բան պակասում է կամ այնպես չէ, պատասխանեք այս նամակին, և մենք "
            "անպայման կլուծենք հարցը։</p>\n"
            "{% when 'failed' %}\n"
            "<p>Առաքիչին չհաջողվեց հանձնել ձեր {{ order.name }} պատվերը։ Հաջորդ քայլերը "
            "կգտնեք առաքման էջում, կամ պատասխանեք այս նամակին, և մենք կօգնենք ձեզ ստանալ "
            "այն։</p>\n"
            "{% else %}\n"
            "<p>Ձեր {{ order.name }} պատվերն արդեն ճանապարհին է։</p>\n"
            "{% endcase %}\n"
            "{% unless fulfillment.status == 'delivered' %}\n"
            + TRACKING
            + "{% endunless %}\n"
            + SIGNED,
        ),
        "sms": Sms(
            "Առաքման մասին",
            "{% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}" + FROM_STORE + "պատվերն այսօր կհասնի ձեզ։"
            "{% when 'delivered' %}" + FROM_STORE + "պատվերն առաքված է։ Վայելե՛ք։"
            "{% when 'failed' %}Չհաջողվեց առաքել " + FROM_STORE + "պատվերը։"
            "{% if fulfillment.tracking_url != blank %} Մանրամասները՝{% endif %}"
            "{% else %}" + FROM_STORE + "պատվերը ճանապարհին է։"
            "{% endcase %}"
            "{% if fulfillment.status != 'delivered' and fulfillment.tracking_url != blank %}"
            " {{ fulfillment.tracking_url }}{% endif %}",
        ),
    },
    "delivery_followup": {
        "email": Email(
            "Առաքումից հետո",
            "Ամեն ինչ լա՞վ հասավ",
            HI + "<p>Ձեր {{ order.name }} պատվերն արդեն ձեզ մոտ է, և մենք շատ կուզենայինք "
            "իմանալ՝ ամեն ինչ լա՞վ հասավ։</p>\n"
            + blocks.score_buttons(
                question="Որքա՞ն հավանական է, որ {{ store.name }} խանութը խորհուրդ տաք "
                "ընկերոջը։ Սեղմեք թվի վրա՝",
                low="0՝ բոլորովին հավանական չէ",
                high="10՝ անպայման",
                csat_question="Որքանո՞վ եք գոհ {{ store.name }} խանութից ձեր պատվերով։ "
                "Սեղմեք թվի վրա՝",
                csat_low="1՝ բոլորովին գոհ չեմ",
                csat_high="5՝ շատ գոհ եմ",
            )
            + "{% if data.feedback_url.size > 0 %}\n"
            '<p><a href="{{ data.feedback_url }}"><strong>Կիսվեք ձեր կարծիքով</strong></a>՝ '
            "դա կտևի ընդամենը մի քանի վայրկյան։</p>\n"
            "<p>Իսկ եթե ինչ-որ բան պակասում է կամ վնասված է, պատասխանեք այս նամակին, և մենք "
            "կշտկենք դա։</p>\n"
            "{% else %}\n"
            "<p>Պարզապես պատասխանեք այս նամակին և պատմեք, թե ինչպես անցավ։ Եթե ինչ-որ բան "
            "պակասում է կամ վնասված է, մենք կշտկենք դա։</p>\n"
            "{% endif %}\n" + SIGNED,
        ),
    },
    "review_request": {
        "email": Email(
            "Կարծիքի խնդրանք",
            "Ինչպե՞ս եք գնահատում ձեր գնումը" + NAME,
            HI + "<p>Հուսով ենք՝ ձեզ դուր է գալիս {{ store.name }} խանութից ձեր գնումը։ "
            "Կտրամադրե՞ք մեկ րոպե՝ կարծիք թողնելու համար։ Ձեր կարծիքն օգնում է մյուս "
            "գնորդներին ընտրություն կատարել, իսկ մեզ՝ ավելի լավը դառնալ։</p>\n"
            "{% if data.review_url.size > 0 %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            "<li>{{ line.title }}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            '<p><a href="{{ data.review_url }}"><strong>Գրել կարծիք</strong></a></p>\n'
            "{% else %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            '<li>{% if line.url != blank %}<a href="{{ line.url }}">{{ line.title }}՝ '
            "գրել կարծիք</a>{% else %}{{ line.title }}{% endif %}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            "{% endif %}\n"
            "<p>Շնորհակալ ենք։<br>\n{{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_thanks": {
        "email": Email(
            "Շնորհակալություն առաջին պատվերի համար",
            "Շնորհակալություն ձեր առաջին պատվերի համար" + NAME,
            HI + "<p>Շնորհակալ ենք, որ մեզ վստահեցիք ձեր առաջին պատվերը՝ {{ order.name }}։ "
            "Դա շատ կարևոր է {{ store.name }} խանութի ողջ թիմի համար։</p>\n"
            "<p>Մենք խնամքով հոգ ենք տանում ձեր պատվերի մասին։ Եթե որևէ բանի կարիք ունենաք, "
            "պարզապես պատասխանեք այս նամակին։</p>\n"
            "<p>Հուսով ենք՝ սա առաջինն է շատերից։</p>\n"
            "<p>Ջերմորեն՝<br>\n{{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_anniversary": {
        "email": Email(
            "Առաջին պատվերի տարեդարձ",
            "{{ data.years | default: 1 }} տարի միասին{% if coupon %}՝ նվեր ձեզ համար{% endif %}",
            HI + "<p>{{ data.years | default: 1 }} տարի առաջ"
            "{% if data.first_order_at.size > 0 %} ({{ data.first_order_at }}){% endif %} "
            "դուք կատարեցիք ձեր առաջին պատվերը {{ store.name }} խանութում։ Շնորհակալություն, "
            "որ այդ օրվանից մեզ հետ եք։</p>\n"
            "{% if coupon %}<p>Այս առիթով ձեզ համար նվեր ունենք՝</p>{% endif %}\n"
            + COUPON
            + "<p>Սիրով՝<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
    "birthday_coupon": {
        "email": Email(
            "Ծննդյան օրվա կտրոն",
            "Շնորհավոր ծննդյան օրը" + NAME + "{% if coupon %}՝ փոքրիկ նվեր {{ store.name }} "
            "խանութից{% endif %}",
            "<p>Շնորհավոր ծննդյան օրը" + NAME + "։</p>\n"
            "<p>{{ store.name }} խանութի ողջ թիմը ձեզ հրաշալի օր է մաղթում։"
            "{% if coupon %} Ահա մեր փոքրիկ նվերը՝{% endif %}</p>\n"
            + COUPON
            + "<p>Վայելե՛ք ձեր օրը։<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "Ծննդյան օրվա կտրոն",
            "Շնորհավոր ծննդյան օրը" + NAME + "։ {% if coupon %}Նվեր {{ store.name }} խանութից՝ "
            "կոդ {{ coupon.code }}" + EXPIRES + "։"
            "{% else %}{{ store.name }} խանութը ձեզ հրաշալի օր է մաղթում։{% endif %}" + STOP,
        ),
    },
    "winback": {
        "email": Email(
            "Վերադարձի հրավեր",
            "Կարոտել ենք ձեզ" + NAME + "{% if coupon %}՝ նվեր ձեր վերադարձի համար{% endif %}",
            HI + "<p>Վաղուց չեք պատվիրել {{ store.name }} խանութից, և մենք կարոտել ենք ձեզ։"
            "{% if coupon %} Ձեր վերադարձի համար փոքրիկ նվեր ունենք՝{% endif %}</p>\n"
            + COUPON
            + blocks.recommended("Մի քանի ապրանք, որոնք, կարծում ենք, ձեզ դուր կգան՝")
            + "<p>Հուսով ենք՝ շուտով կհանդիպենք։<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "Վերադարձի հրավեր",
            "{{ store.name }} խանութը կարոտել է ձեզ" + NAME + "։"
            "{% if coupon %} Նվեր ձեզ՝ կոդ {{ coupon.code }}" + EXPIRES + "։"
            "{% elsif recommended_products.size > 0 %} Ընտրել ենք ձեզ համար՝ "
            "{{ recommended_products.first.url }}{% endif %}" + STOP,
        ),
    },
    "cart_reminder": {
        "email": Email(
            "Զամբյուղի հիշեցում",
            "Ձեր զամբյուղում ապրանքներ են մնացել",
            HI + "<p>{{ store.name }} խանութում ձեր զամբյուղում ապրանքներ են մնացել։ Մենք "
            "պահել ենք դրանք ձեզ համար՝</p>\n"
            + CART
            + "<p>Հարցեր ունե՞ք չափսերի, առաքման կամ որևէ այլ բանի մասին։ Պարզապես "
            "պատասխանեք այս նամակին։</p>\n" + SIGNED + FOOTER,
        ),
        "sms": Sms(
            "Զամբյուղի հիշեցում",
            "{{ store.name }} խանութում ձեր զամբյուղը պահված է"
            "{% if data.cart.total.size > 0 %} ({{ data.cart.total }}){% endif %}։"
            "{% if data.cart.url.size > 0 %} Ավարտեք պատվերը՝ {{ data.cart.url }}{% endif %}"
            + STOP,
        ),
    },
    "cart_reminder_second": {
        "email": Email(
            "Զամբյուղի երկրորդ հիշեցում",
            "{% if coupon %}Փոքրիկ նվեր ձեր զամբյուղի համար"
            "{% else %}Ձեր զամբյուղը դեռ սպասում է ձեզ{% endif %}",
            HI
            + "<p>{{ store.name }} խանութում ձեր զամբյուղը դեռ սպասում է ձեզ՝</p>\n"
            + CART
            + "{% if coupon %}<p>Որպեսզի որոշելն ավելի հեշտ լինի, ահա մի փոքրիկ նվեր՝</p>"
            "{% endif %}\n"
            + COUPON
            + blocks.recommended("Գուցե ձեզ դուր գան նաև՝")
            + SIGNED
            + FOOTER,
        ),
    },
    "champions_surprise": {
        "email": Email(
            "Անակնկալ լավագույն հաճախորդներին",
            "Շնորհակալական անակնկալ ձեզ համար" + NAME,
            HI + "<p>{% if customer.orders_count > 1 %}Դուք արդեն {{ customer.orders_count }} "
            "պատվեր եք կատարել {{ store.name }} խանութում։ {% endif %}Ձեզ նման հաճախորդների "
            "շնորհիվ է, որ մենք այդքան սիրում ենք մեր գործը։ Շնորհակալություն։</p>\n"
            "{% if coupon %}<p>Որպես փոքրիկ անակնկալ՝ ահա նվեր հենց ձեզ համար՝</p>{% endif %}\n"
            + COUPON
            + "<p>Երախտագիտությամբ՝<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
}
