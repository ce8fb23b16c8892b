"""Word tables for name normalisation: legal forms, generic industry words, place qualifiers, Chinese forms.

Every table maps a folded spelling (lower case, no punctuation, tokens joined by one space) to a canonical
form, so that spelling variants compare equal ("ltd" = "limited" = "co ltd"; "usa" = "us" = "america").
"""

from __future__ import annotations

# -- legal forms ---------------------------------------------------------------------------------------
# canonical form -> class. Forms of one class count as "similar" (b.v. ~ co. ltd.).
LEGAL_CLASS: dict[str, str] = {
    "ltd": "limited", "llc": "limited", "gmbh": "limited", "bv": "limited", "sarl": "limited", "srl": "limited",
    "sl": "limited", "pty ltd": "limited", "pvt ltd": "limited", "pte ltd": "limited", "sp z oo": "limited",
    "sro": "limited", "ooo": "limited", "kft": "limited", "doo": "limited", "llp": "limited", "ltda": "limited",
    "bvba": "limited", "sa de cv": "limited",
    "inc": "stock", "corp": "stock", "ag": "stock", "sa": "stock", "nv": "stock", "spa": "stock", "plc": "stock",
    "ab": "stock", "as": "stock", "asa": "stock", "oy": "stock", "oyj": "stock", "kk": "stock", "jsc": "stock",
    "se": "stock", "sas": "stock", "pt": "stock", "bhd": "stock", "jsc (cn)": "stock",
    "ooo (ru)": "limited", "jsc (ru)": "stock",
    "co": "company", "lp": "partnership", "kg": "partnership", "group (cn)": "company", "branch": "company",
}

_LEGAL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ltd": ("ltd", "limited", "co ltd", "company limited", "co limited", "company ltd", "corp ltd",
            "corporation limited", "limited company", "ltd co", "ltd company"),
    "llc": ("llc", "l l c", "limited liability company", "limited liability co", "co llc"),
    "gmbh": ("gmbh", "mbh", "gesellschaft mit beschrankter haftung", "gesellschaft mit beschränkter haftung",
             "gmbh co kg", "gmbh und co kg"),
    "bv": ("bv", "besloten vennootschap"),
    "sarl": ("sarl",), "srl": ("srl", "societatea cu raspundere limitata", "societatea cu răspundere limitată"),
    "sl": ("sl", "slu"), "pty ltd": ("pty ltd", "pty limited", "pty", "proprietary limited"),
    "pvt ltd": ("pvt ltd", "private limited", "pvt limited", "private ltd", "pvt"),
    "pte ltd": ("pte ltd", "pte limited", "pte"), "sp z oo": ("sp z oo", "sp z o o", "spzoo"),
    "sro": ("sro",), "ooo": ("ooo",), "kft": ("kft",), "doo": ("doo",), "llp": ("llp",), "ltda": ("ltda",),
    "bvba": ("bvba",), "sa de cv": ("sa de cv", "s de rl de cv", "de cv"),
    "inc": ("inc", "incorporated"), "corp": ("corp", "corporation", "co corp"),
    "ag": ("ag", "aktiengesellschaft", "akg"), "sa": ("sa", "sociedad anonima", "societe anonyme"),
    "nv": ("nv", "naamloze vennootschap"), "spa": ("spa", "societa per azioni"),
    "plc": ("plc", "public limited company", "public company limited", "pcl"),
    "ab": ("ab", "aktiebolag", "publ ab"), "as": ("as", "aps"), "asa": ("asa",), "oy": ("oy",), "oyj": ("oyj",),
    "kk": ("kk", "kabushiki kaisha", "kabushiki gaisha"),
    "jsc": ("jsc", "ojsc", "pjsc", "cjsc", "oao", "zao", "pao", "ao", "joint stock company", "open joint stock company",
            "public joint stock company", "closed joint stock company", "company limited by shares"),
    "se": ("se",), "sas": ("sas", "sasu"), "pt": ("pt", "tbk", "pt tbk"), "bhd": ("bhd", "sdn bhd", "berhad"),
    "co": ("co", "company", "cie", "compagnie", "companies", "comp"),
    # Cyrillic (folded: й -> и): ООО, АО, ПАО ... and their long forms
    "ooo (ru)": ("общество с ограниченнои ответственностью", "ооо"),
    "jsc (ru)": ("акционерное общество", "публичное акционерное общество", "открытое акционерное общество",
                 "закрытое акционерное общество", "ао", "пао", "оао", "зао"),
    "lp": ("lp", "l p", "limited partnership"), "kg": ("kg", "ohg"),
    # pinyin spellings of Chinese legal forms
    "jsc (cn)": ("gufen youxian gongsi", "gu fen you xian gong si", "gufen gongsi"),
    "branch": ("branch", "branch office", "fen gong si", "fengongsi", "representative office", "rep office"),
}
_LEGAL_PINYIN_LTD = ("youxian gongsi", "you xian gong si", "youxian zeren gongsi", "you xian ze ren gong si",
                     "gongsi", "gong si")

# Short legal forms that are also ordinary words or initials: only taken as legal forms at the end of a name.
AMBIGUOUS_LEGAL: frozenset[str] = frozenset({
    "ab", "ag", "as", "sa", "sl", "se", "oy", "kk", "nv", "lp", "kg", "pt", "spa", "sas", "ao", "asa", "pvt",
    "pte", "pty", "comp", "akg", "aps", "slu", "doo", "sro", "eg", "tbk", "pao", "de cv", "l p", "branch",
})

# -- generic industry words: kept, but weigh little ------------------------------------------------------
_GENERIC: dict[str, tuple[str, ...]] = {
    "technology": ("technology", "technologies", "tech", "techn", "techs", "tecnologia", "technologie", "technik",
                   "jishu", "keji", "ji shu", "ke ji"),
    "digital": ("digital", "shuzi", "shu zi", "digitals"),
    "communication": ("communication", "communications", "comm", "comms", "telecom", "telecoms",
                      "telecommunication", "telecommunications", "tongxin", "tong xin", "tongxun"),
    "network": ("network", "networks", "networking", "net", "wangluo", "wang luo"),
    "system": ("system", "systems", "sys", "systeme", "xitong", "xi tong"),
    "electronics": ("electronic", "electronics", "electric", "electrical", "electro", "elec", "dianzi", "dian zi",
                    "microelectronics", "optoelectronics", "optoelectronic", "electronique", "elektronik"),
    "information": ("information", "info", "informatics", "xinxi", "xin xi"),
    "intelligent": ("intelligent", "intelligence", "smart", "zhineng", "zhi neng", "ai"),
    "security": ("security", "secure", "securities", "safety", "protection", "anfang", "surveillance", "cctv",
                 "alarm", "alarms", "defense", "defence", "fire", "firefighting", "guard"),
    "vision": ("vision", "video", "visual", "optical", "optics", "imaging", "image", "images", "camera", "cameras",
               "photonics", "sensing", "sensor", "sensors", "detection", "monitoring"),
    "international": ("international", "intl", "int", "global", "worldwide", "guoji", "overseas"),
    "group": ("group", "grp", "groupe", "gruppe", "jituan", "ji tuan"),
    "holding": ("holding", "holdings", "konggu", "investment", "investments", "capital", "ventures"),
    "industrial": ("industrial", "industry", "industries", "ind", "shiye", "manufacturing", "mfg", "manufacturer",
                   "factory", "works", "plant"),
    "science": ("science", "sciences", "scientific", "sci", "research", "institute", "academy", "lab", "labs",
                "laboratory", "laboratories"),
    "software": ("software", "ruanjian", "computer", "computing", "data", "cloud", "internet", "online"),
    "engineering": ("engineering", "eng", "engineers", "gongcheng", "automation", "control", "controls"),
    "trading": ("trading", "trade", "traders", "import", "export", "imp", "exp", "maoyi", "distribution",
                "distributor", "distributors", "supply", "supplies", "sales", "wholesale", "logistics"),
    "solution": ("solution", "solutions", "integration", "integrated", "integrator"),
    "product": ("product", "products", "equipment", "equipments", "device", "devices", "instrument", "instruments",
                "hardware", "components", "materials", "machinery", "shebei"),
    "service": ("service", "services", "srvces", "svcs", "svc", "consulting", "management", "enterprise",
                "enterprises", "business", "development", "innovation", "innovations", "partners", "associates",
                "resources", "fuwu"),
    "wireless": ("wireless", "mobile", "radio", "broadband", "microwave"),
    "new": ("new", "advanced", "modern", "future", "general", "united", "creative", "professional", "pro",
            "standard", "best", "top", "universal", "star"),
    "energy": ("energy", "power", "aviation", "aerospace", "avionics"),
    "the": ("the", "and", "of", "for", "de", "la", "le", "der", "die", "und", "et", "y", "e", "del", "des", "van",
            "no", "nr"),
}

# -- place qualifiers: recognised, never a reason to match ---------------------------------------------
_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "us": ("us", "usa", "u s", "u s a", "america", "american", "united states", "united states of america",
           "north america", "na", "meiguo"),
    "eu": ("eu", "europe", "european", "emea", "eur"),
    "uk": ("uk", "u k", "gb", "great britain", "britain", "united kingdom", "england", "scotland", "wales"),
    "nl": ("nl", "nederland", "netherlands", "holland", "the netherlands", "benelux"),
    "de": ("deutschland", "germany", "german"), "fr": ("france", "french"), "it": ("italia", "italy", "italian"),
    "es": ("espana", "españa", "spain", "iberia", "iberica"), "pl": ("polska", "poland"),
    "in": ("india", "indian", "bharat"), "hk": ("hk", "hong kong", "hongkong", "xianggang"),
    "cn": ("china", "chinese", "prc", "zhongguo", "cn", "mainland"), "tw": ("taiwan",), "jp": ("japan", "nippon"),
    "kr": ("korea", "south korea"), "sg": ("singapore", "sg"), "my": ("malaysia",), "th": ("thailand",),
    "vn": ("vietnam", "viet nam"), "id": ("indonesia",), "ph": ("philippines",),
    "au": ("australia", "aus", "au"), "nz": ("new zealand", "nz"), "ca": ("canada", "canadian"),
    "mx": ("mexico", "méxico"), "br": ("brasil", "brazil", "do brasil"), "latam": ("latam", "latin america"),
    "asia": ("asia", "asia pacific", "apac", "pacific", "southeast asia"),
    "me": ("middle east", "mena", "gulf", "fze", "fzco", "fz llc"), "ae": ("uae", "dubai", "emirates"),
    "tr": ("turkey", "turkiye"), "ru": ("russia", "rus", "russian"), "za": ("south africa",), "africa": ("africa",),
    "kz": ("kazakhstan",), "uz": ("uzbekistan",), "pk": ("pakistan",), "bd": ("bangladesh",), "lk": ("sri lanka",),
    "eg": ("egypt",), "sa-country": ("saudi", "saudi arabia", "ksa"), "qa": ("qatar",), "il": ("israel",),
    "ir": ("iran",), "ua": ("ukraine",), "cz": ("czech", "czechia", "czech republic"), "at": ("austria",),
    "ch": ("switzerland", "suisse", "schweiz", "svizzera"), "be": ("belgium", "belgie", "belgique"),
    "dk": ("denmark", "danmark"), "se-country": ("sweden", "sverige"), "no": ("norway", "norge"),
    "fi": ("finland", "suomi"), "ie": ("ireland",), "pt": ("portugal",), "gr": ("greece",), "hu": ("hungary",),
    "ro": ("romania",), "bg": ("bulgaria",), "rs": ("serbia",), "hr": ("croatia",), "cl": ("chile",),
    "ar": ("argentina",), "co-country": ("colombia",), "pe": ("peru",), "ng": ("nigeria",), "ke": ("kenya",),
    "ma": ("morocco",), "td": ("chad",), "am": ("armenia",), "ge": ("georgia",), "af": ("afghanistan",),
    "mo": ("macau", "macao"),
    # Chinese provinces and cities (pinyin), most common in supplier names
    "hangzhou": ("hangzhou", "hang zhou"), "zhejiang": ("zhejiang", "zhe jiang"),
    "shenzhen": ("shenzhen", "shen zhen", "sz"), "beijing": ("beijing", "bei jing", "peking"),
    "shanghai": ("shanghai", "shang hai"), "tianjin": ("tianjin", "tian jin"), "chengdu": ("chengdu", "cheng du"),
    "xiamen": ("xiamen",), "suzhou": ("suzhou",), "wuhan": ("wuhan",), "guangzhou": ("guangzhou", "canton"),
    "guangdong": ("guangdong",), "jiangsu": ("jiangsu",), "nanjing": ("nanjing",), "chongqing": ("chongqing",),
    "xian": ("xian", "xi an"), "hefei": ("hefei",), "anhui": ("anhui",), "fujian": ("fujian",),
    "fuzhou": ("fuzhou",), "qingdao": ("qingdao",), "shandong": ("shandong",), "jinan": ("jinan",),
    "dalian": ("dalian",), "shenyang": ("shenyang",), "liaoning": ("liaoning",), "hubei": ("hubei",),
    "hunan": ("hunan",), "changsha": ("changsha",), "sichuan": ("sichuan",), "xinjiang": ("xinjiang",),
    "urumqi": ("urumqi",), "ningbo": ("ningbo",), "dongguan": ("dongguan",), "foshan": ("foshan",),
    "zhuhai": ("zhuhai",), "huizhou": ("huizhou",), "wuxi": ("wuxi",), "changzhou": ("changzhou",),
    "hebei": ("hebei",), "shijiazhuang": ("shijiazhuang",), "henan": ("henan",), "zhengzhou": ("zhengzhou",),
    "shanxi": ("shanxi",), "shaanxi": ("shaanxi",), "yunnan": ("yunnan",), "kunming": ("kunming",),
    "guizhou": ("guizhou",), "guangxi": ("guangxi",), "hainan": ("hainan",), "jiangxi": ("jiangxi",),
    "jilin": ("jilin",), "harbin": ("harbin", "heilongjiang"),
    # other cities common in supplier names
    "london": ("london",), "paris": ("paris",), "amsterdam": ("amsterdam",), "rotterdam": ("rotterdam",),
    "eindhoven": ("eindhoven",), "berlin": ("berlin",), "munich": ("munich", "munchen", "münchen"),
    "frankfurt": ("frankfurt",), "hamburg": ("hamburg",), "dusseldorf": ("dusseldorf", "düsseldorf"),
    "madrid": ("madrid",), "barcelona": ("barcelona",), "milan": ("milan", "milano"), "rome": ("rome", "roma"),
    "new york": ("new york", "ny", "nyc", "new york city"), "california": ("california", "ca usa"),
    "texas": ("texas",), "florida": ("florida",), "dallas": ("dallas",), "houston": ("houston",),
    "los angeles": ("los angeles", "la usa"), "chicago": ("chicago",), "seattle": ("seattle",),
    "atlanta": ("atlanta",), "miami": ("miami",), "boston": ("boston",), "toronto": ("toronto",),
    "vancouver": ("vancouver",), "sydney": ("sydney",), "melbourne": ("melbourne",), "tokyo": ("tokyo",),
    "osaka": ("osaka",), "seoul": ("seoul",), "mumbai": ("mumbai", "bombay"), "delhi": ("delhi", "new delhi"),
    "bangalore": ("bangalore", "bengaluru"), "chennai": ("chennai",), "pune": ("pune",),
    "hyderabad": ("hyderabad",), "moscow": ("moscow",), "istanbul": ("istanbul",), "warsaw": ("warsaw",),
    "prague": ("prague",), "vienna": ("vienna", "wien"), "zurich": ("zurich", "zürich"), "geneva": ("geneva",),
    "brussels": ("brussels",), "copenhagen": ("copenhagen",), "stockholm": ("stockholm",), "oslo": ("oslo",),
    "helsinki": ("helsinki",), "dublin": ("dublin",), "lisbon": ("lisbon",), "athens": ("athens",),
    "sao paulo": ("sao paulo",), "jakarta": ("jakarta",), "bangkok": ("bangkok",), "hanoi": ("hanoi",),
    "manila": ("manila",), "kuala lumpur": ("kuala lumpur",), "taipei": ("taipei",), "riyadh": ("riyadh",),
    "tehran": ("tehran",), "karachi": ("karachi",), "dhaka": ("dhaka",), "johannesburg": ("johannesburg",),
    "cairo": ("cairo",), "lagos": ("lagos",), "nairobi": ("nairobi",),
}

# -- Chinese script --------------------------------------------------------------------------------------
# Suffixes stripped from the end of a Han run, longest first (legal forms and the group word).
HAN_LEGAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("集团股份有限公司", "jsc (cn)"), ("股份有限公司", "jsc (cn)"), ("有限责任公司", "llc"), ("集团有限公司", "ltd"),
    ("有限公司", "ltd"), ("分公司", "branch"), ("办事处", "branch"), ("公司", "co"), ("集团", "group (cn)"),
    ("股份", "jsc (cn)"), ("有限", "ltd"),
)
# Han place names stripped from the start of a Han run (with an optional 省/市/区 after them).
HAN_PLACES: dict[str, str] = {
    "中国": "cn", "中华": "cn", "杭州": "hangzhou", "浙江": "zhejiang", "深圳": "shenzhen", "北京": "beijing",
    "上海": "shanghai", "天津": "tianjin", "成都": "chengdu", "厦门": "xiamen", "苏州": "suzhou", "武汉": "wuhan",
    "广州": "guangzhou", "广东": "guangdong", "江苏": "jiangsu", "南京": "nanjing", "重庆": "chongqing",
    "西安": "xian", "合肥": "hefei", "安徽": "anhui", "福建": "fujian", "福州": "fuzhou", "青岛": "qingdao",
    "山东": "shandong", "济南": "jinan", "大连": "dalian", "沈阳": "shenyang", "湖北": "hubei", "湖南": "hunan",
    "长沙": "changsha", "四川": "sichuan", "新疆": "xinjiang", "乌鲁木齐": "urumqi", "宁波": "ningbo",
    "东莞": "dongguan", "佛山": "foshan", "珠海": "zhuhai", "无锡": "wuxi", "河北": "hebei", "河南": "henan",
    "郑州": "zhengzhou", "香港": "hk", "台湾": "tw", "美国": "us", "欧洲": "eu", "英国": "uk", "德国": "de",
    "荷兰": "nl", "日本": "jp", "印度": "in", "澳门": "mo",
}
# Generic Han words stripped from the end of a Han run (after the legal form), mapped to the Latin generic word.
HAN_GENERIC: dict[str, str] = {
    "数字": "digital", "技术": "technology", "科技": "technology",
    "电子": "electronics", "网络": "network", "信息": "information", "智能": "intelligent", "通信": "communication",
    "通讯": "communication", "软件": "software", "系统": "system", "工程": "engineering", "安防": "security",
    "视频": "vision", "光电": "electronics", "设备": "product", "仪器": "product", "研究所": "science",
    "研究院": "science", "控股": "holding", "国际": "international", "实业": "industrial", "工业": "industrial",
    "贸易": "trading", "发展": "service", "电气": "electronics", "微电子": "electronics", "半导体": "electronics",
    "物联网": "network", "视觉": "vision", "数据": "software", "服务": "service", "制造": "industrial",
    "投资": "holding", "管理": "service", "进出口": "trading", "销售": "trading", "产品": "product",
    "材料": "product", "电器": "electronics", "机械": "product", "自动化": "engineering", "控制": "engineering",
    "航空": "energy", "集团": "group",
}
HAN_GENERIC_MAX = max(len(k) for k in HAN_GENERIC)


def _expand(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {spelling: canon for canon, spellings in table.items() for spelling in spellings}


LEGAL: dict[str, str] = _expand(_LEGAL_SPELLINGS) | dict.fromkeys(_LEGAL_PINYIN_LTD, "ltd")
GENERIC: dict[str, str] = _expand(_GENERIC)
QUALIFIERS: dict[str, str] = _expand(_QUALIFIERS)

# Every phrase (one or more tokens) with its category: "L" legal form, "G" generic word, "Q" qualifier.
# Legal forms win over qualifiers and generic words when a spelling is in two tables ("sa", "co").
PHRASES: dict[tuple[str, ...], tuple[str, str]] = {}
for _table, _cat in ((GENERIC, "G"), (QUALIFIERS, "Q"), (LEGAL, "L")):
    for _spelling, _canon in _table.items():
        PHRASES[tuple(_spelling.split())] = (_cat, _canon)
MAX_PHRASE = max(len(p) for p in PHRASES)
# first token -> lengths of phrases that start with it, longest first
PHRASE_STARTS: dict[str, tuple[int, ...]] = {}
for _phrase in PHRASES:
    PHRASE_STARTS[_phrase[0]] = tuple(sorted({*PHRASE_STARTS.get(_phrase[0], ()), len(_phrase)}, reverse=True))

ROMAN_NUMERALS: dict[str, str] = {
    "i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10",
    "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16", "xvii": "17", "xviii": "18",
    "xix": "19", "xx": "20"}

# -- numbers written as words: "Forty-Four" = "44", "First" = "1st" = "1", "Three" = "3" ----------------------
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
                        "seventy": 70, "eighty": 80, "ninety": 90}
# legal-form spellings written as one word, for a legal form glued to the name ("SiemensAG", "AcmeGmbH")
GLUED_LEGAL: frozenset[str] = frozenset()  # filled below


def legal_class(canon: str) -> str:
    """The class of a canonical legal form ("limited", "stock", "company", "partnership")."""
    return LEGAL_CLASS.get(canon, canon)


GLUED_LEGAL = frozenset(k for k in LEGAL if " " not in k and len(k) >= 2 and k.isascii())
GLUED_MAX = max(len(k) for k in GLUED_LEGAL)
# multi-word and long legal forms tolerated with a typo or a cut-off last word ("Joynt Stock Company",
# "Aktiengeselschaft", "Joint Stock Compan"): first token -> phrases starting with it
FUZZY_LEGAL: dict[str, list[tuple[str, ...]]] = {}
for _spelling in LEGAL:
    _words = tuple(_spelling.split())
    if sum(map(len, _words)) >= 8 and len(_words[0]) >= 5 and all(w.isascii() for w in _words):
        _first = _words[0]
        for _key in {_first, *(_first[:_i] + _first[_i + 1:] for _i in range(len(_first)))}:
            FUZZY_LEGAL.setdefault(_key, []).append(_words)
