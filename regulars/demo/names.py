"""Name pools for the demo's generated customers.

Thai and Armenian names are written in their own scripts, each paired with a common
romanisation used to build the customer's (undeliverable, example-domain) e-mail address.
"""

# fmt: off
ENGLISH_FIRST = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark",
    "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa",
    "Brian", "Stephanie", "Ryan", "Rebecca", "Jason", "Laura", "Justin", "Amy", "Eric", "Angela",
    "Jacob", "Heather", "Tyler", "Rachel", "Aaron", "Nicole", "Jose", "Maria", "Carlos", "Ana",
    "Luis", "Sofia", "Marcus", "Keisha", "Andre", "Tamika", "Wei", "Mei", "Hiroshi", "Yuki",
    "Raj", "Priya", "Omar", "Fatima", "Sean", "Megan", "Brandon", "Kayla", "Derek", "Brittany",
    "Gregory", "Diane", "Patrick", "Colleen",
)

ENGLISH_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
    "Campbell", "Mitchell", "Carter", "Roberts", "Chen", "Kim", "Patel", "Murphy", "O'Brien",
    "Sullivan", "Kowalski", "Novak", "Schmidt", "Rossi", "Cohen", "Brooks", "Bennett", "Foster",
    "Hayes", "Coleman", "Jenkins", "Washington", "Reyes", "Morales", "Ortiz", "Price", "Howard",
    "Ward", "Cox", "Peterson", "Gray", "Ramos", "Watson", "Tanaka",
)

# (Thai script, romanisation)
THAI_FIRST = (
    ("สมชาย", "somchai"), ("สมศักดิ์", "somsak"), ("ประเสริฐ", "prasert"), ("วิชัย", "wichai"),
    ("สุรชัย", "surachai"), ("ณัฐพล", "nattapon"), ("ธนพล", "thanaphon"), ("อนุชา", "anucha"),
    ("กิตติ", "kitti"), ("ชัยวัฒน์", "chaiwat"), ("พงศกร", "pongsakorn"), ("ธีรวัฒน์", "teerawat"),
    ("วรวุฒิ", "worawut"), ("อภิชาติ", "apichart"), ("ศุภชัย", "supachai"), ("ปิยะ", "piya"),
    ("สุดารัตน์", "sudarat"), ("สมหญิง", "somying"), ("มาลี", "malee"), ("วันเพ็ญ", "wanpen"),
    ("กาญจนา", "kanchana"), ("ศิริพร", "siriporn"), ("นภาพร", "napaporn"),
    ("พิมพ์ชนก", "pimchanok"), ("ณัฐธิดา", "nattida"), ("อรุณี", "arunee"), ("รัตนา", "rattana"),
    ("ปราณี", "pranee"), ("วราภรณ์", "waraporn"), ("สุภาพร", "supaporn"), ("อัญชลี", "anchalee"),
    ("เพ็ญศรี", "pensri"), ("ธิดารัตน์", "thidarat"), ("กมลชนก", "kamonchanok"),
    ("ชนิดา", "chanida"), ("ปิยะนุช", "piyanuch"), ("อารีรัตน์", "areerat"), ("นิภา", "nipa"),
    ("ลัดดา", "ladda"), ("จันทร์เพ็ญ", "janpen"),
)

THAI_LAST = (
    ("ศรีสุข", "srisuk"), ("วงศ์สวัสดิ์", "wongsawat"), ("แก้วมณี", "kaewmanee"),
    ("ทองดี", "thongdee"), ("สุขสวัสดิ์", "suksawat"), ("บุญมา", "boonma"),
    ("จันทร์แก้ว", "chankaew"), ("พรหมมา", "promma"), ("ศรีวงศ์", "sriwong"),
    ("รัตนพันธ์", "rattanaphan"), ("สมบูรณ์", "somboon"), ("ชัยมงคล", "chaimongkol"),
    ("วัฒนา", "wattana"), ("เจริญสุข", "charoensuk"), ("อินทร์แก้ว", "inkaew"),
    ("สายทอง", "saithong"), ("มีสุข", "meesuk"), ("ปัญญาดี", "panyadee"), ("บุญเรือง", "boonruang"),
    ("ทองคำ", "thongkham"), ("แสงทอง", "saengthong"), ("พึ่งบุญ", "phuengboon"),
    ("กิตติวงศ์", "kittiwong"), ("เรืองศรี", "ruangsri"), ("นาคสวัสดิ์", "naksawat"),
    ("วิเศษสุวรรณ", "wisetsuwan"), ("สุวรรณรัตน์", "suwannarat"), ("จิตรประเสริฐ", "chitprasert"),
    ("ประเสริฐศักดิ์", "prasertsak"), ("ศักดิ์สิทธิ์", "saksit"),
)

# (Armenian script, romanisation)
ARMENIAN_FIRST = (
    ("Արամ", "aram"), ("Արմեն", "armen"), ("Դավիթ", "davit"), ("Տիգրան", "tigran"),
    ("Գևորգ", "gevorg"), ("Հայկ", "hayk"), ("Սամվել", "samvel"), ("Վահե", "vahe"),
    ("Նարեկ", "narek"), ("Արթուր", "artur"), ("Կարեն", "karen"), ("Ռուբեն", "ruben"),
    ("Հովհաննես", "hovhannes"), ("Գրիգոր", "grigor"), ("Սարգիս", "sargis"), ("Էդգար", "edgar"),
    ("Արսեն", "arsen"), ("Լևոն", "levon"), ("Մհեր", "mher"), ("Վարդան", "vardan"),
    ("Անի", "ani"), ("Նարինե", "narine"), ("Լուսինե", "lusine"), ("Մարիամ", "mariam"),
    ("Անահիտ", "anahit"), ("Սոնա", "sona"), ("Արմինե", "armine"), ("Գայանե", "gayane"),
    ("Տաթևիկ", "tatevik"), ("Լիլիթ", "lilit"), ("Հասմիկ", "hasmik"), ("Մանե", "mane"),
    ("Նունե", "nune"), ("Սիրանուշ", "siranush"), ("Աստղիկ", "astghik"), ("Էլեն", "elen"),
    ("Զառա", "zara"), ("Շուշան", "shushan"), ("Կարինե", "karine"), ("Սաթենիկ", "satenik"),
)

ARMENIAN_LAST = (
    ("Հովհաննիսյան", "hovhannisyan"), ("Պետրոսյան", "petrosyan"), ("Սարգսյան", "sargsyan"),
    ("Հարությունյան", "harutyunyan"), ("Գրիգորյան", "grigoryan"), ("Խաչատրյան", "khachatryan"),
    ("Մկրտչյան", "mkrtchyan"), ("Ավետիսյան", "avetisyan"), ("Կարապետյան", "karapetyan"),
    ("Գասպարյան", "gasparyan"), ("Ղազարյան", "ghazaryan"), ("Մարտիրոսյան", "martirosyan"),
    ("Հակոբյան", "hakobyan"), ("Վարդանյան", "vardanyan"), ("Առաքելյան", "arakelyan"),
    ("Ստեփանյան", "stepanyan"), ("Սիմոնյան", "simonyan"), ("Մանուկյան", "manukyan"),
    ("Դավթյան", "davtyan"), ("Աբրահամյան", "abrahamyan"), ("Բաղդասարյան", "baghdasaryan"),
    ("Մելքոնյան", "melkonyan"), ("Պողոսյան", "poghosyan"), ("Մովսիսյան", "movsisyan"),
    ("Ալեքսանյան", "aleksanyan"), ("Եղիազարյան", "yeghiazaryan"), ("Զաքարյան", "zakaryan"),
    ("Թորոսյան", "torosyan"), ("Համբարձումյան", "hambardzumyan"), ("Մինասյան", "minasyan"),
)

# fmt: on

# US time zones weighted roughly by population; area codes that belong to each.
US_ZONES = (
    ("America/New_York", 36, ("212", "646", "718", "617", "215", "404", "305", "202", "412")),
    ("America/Chicago", 28, ("312", "773", "214", "713", "612", "504", "314", "512")),
    ("America/Denver", 7, ("303", "720", "801", "505")),
    ("America/Phoenix", 3, ("602", "480")),
    ("America/Los_Angeles", 24, ("213", "310", "415", "206", "503", "702", "619", "408")),
    ("America/Anchorage", 1, ("907",)),
    ("America/Toronto", 1, ("416", "647")),
)

# Mobile prefixes after the country code.
THAI_MOBILE = ("61", "62", "63", "64", "65", "80", "81", "82", "83", "84", "85", "86", "89", "91")
ARMENIAN_MOBILE = ("77", "93", "94", "98", "91", "99", "55", "95", "96", "43", "44", "33")

# Reserved for documentation (RFC 2606): mail to these domains can never reach a real person.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
