"""A simple check that a narrative may name a private person or carry an ID or phone number.

Reports are about topics and places, so a narrative should not name anyone. The check flags
(never blocks): a reviewer sees what was found and decides. It looks for

- a kinship or courtesy word (ông, bà, anh, chị, cô, chú, bác, cháu, em) followed by a
  capitalised word: "ông Nguyễn Văn A", "chị Lan";
- two to four capitalised syllables starting with a common Vietnamese surname
  ("Trần Thị Mai"), unless they follow a place word (xã, phường, đường...) or are a
  well-known place ("Hà Nội", "Lê Chân");
- digits shaped like a phone number (10 digits from 0, or +84) or an identity card number
  (9-digit CMND, 12-digit CCCD), spaces, dots and dashes allowed between the groups.

False positives are expected (a street named after a hero); false negatives too (a name
without a surname from the list). It is a prompt for the reviewer, not a filter.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Đào",
    "Trịnh",
    "Mai",
    "Lương",
    "Đoàn",
    "Vương",
    "Trương",
    "Cao",
    "Lâm",
    "Tạ",
    "Hà",
    "Tô",
    "Chu",
    "Quách",
    "Thái",
    "Kiều",
    "Tăng",
    "Lưu",
    "Triệu",
    "Lại",
    "Mạc",
    "Khổng",
    "Từ",
    "Thân",
    "Nông",
    "Lò",
    "Quàng",
    "Hứa",
    "Phùng",
    "Doãn",
    "Vi",
    "Giang",
    "Kim",
    "Lục",
    "Châu",
    "Âu",
    "Tống",
    "Diệp",
    "Nghiêm",
]

HONORIFICS = ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cháu", "em")

# Words after which capitalised syllables are a place or an institution, not a person.
PLACE_WORDS = [
    "xã",
    "phường",
    "thị",
    "trấn",
    "quận",
    "huyện",
    "tỉnh",
    "thành",
    "phố",
    "tp",
    "đường",
    "phố",
    "thôn",
    "xóm",
    "ấp",
    "bản",
    "tổ",
    "khu",
    "cụm",
    "làng",
    "sông",
    "cầu",
    "chợ",
    "trường",
    "bệnh",
    "viện",
    "công",
    "ty",
    "đặc",
    "khu",
    "khu",
    "công",
    "nghiệp",
    "kcn",
    "hội",
    "đảng",
    "ủy",
    "ban",
    "mặt",
    "trận",
    "đoàn",
    "chùa",
    "nhà",
    "thờ",
    "đền",
]

# Places and names of public life that start with a surname.
KNOWN_PLACES = {
    "hà nội", "hồ chí minh", "lê chân", "hà tĩnh", "hà giang", "hà nam", "cao bằng",
    "lâm đồng", "thái bình", "thái nguyên", "mai sơn", "hồ tây", "hà đông", "tô lịch",
    "chu văn an", "lê lợi", "trần hưng đạo", "lý thường kiệt", "quang trung", "lê duẩn",
    "giang biên", "kim thành", "kim bảng", "đồ sơn", "kiến an", "vũ thư", "vĩnh bảo",
    "đào duy từ", "phan bội châu", "phan chu trinh", "trần phú", "ngô quyền", "lê hồng phong",
}  # fmt: skip

_WORD = re.compile(r"[^\W\d_]+")
_HONORIFIC_SET = set(HONORIFICS)
_SURNAME_SET = set(SURNAMES)
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)(?:[\s.-]?\d){9}(?![\d.,]*\d)")
_ID_NUMBER = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?![\d.,]*\d)")
_MONEY_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnd|triệu|tỷ|m2|m²|ha)", re.IGNORECASE)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _capitalised_run(text: str, words, index: int, most: int) -> int:
    """How many capitalised words follow one another (one space apart) from `index`."""
    count = 0
    while index + count < len(words) and count < most:
        start, _end, word = words[index + count]
        if not word[0].isupper():
            break
        if count and not text[words[index + count - 1][1] : start].isspace():
            break
        if count and len(text[words[index + count - 1][1] : start]) > 2:
            break
        count += 1
    return count


def _after_place_word(words, index: int) -> bool:
    before = [w.lower() for _s, _e, w in words[max(0, index - 2) : index]]
    return bool(before) and (before[-1] in PLACE_WORDS or " ".join(before) in PLACE_WORDS)


def check(text: str) -> list[dict]:
    """What in `text` looks like personal data: [{"kind": ..., "text": ...}], in order."""
    text = text or ""
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append((start, kind, text[start:end]))

    words = _words(text)
    for i, (start, end, word) in enumerate(words):
        lower = word.lower()
        if lower in _HONORIFIC_SET and i + 1 < len(words):
            run = _capitalised_run(text, words, i + 1, 4)
            # Lower-case words after a kinship word ("anh em", "chị em phụ nữ") are no name.
            if run and text[end : words[i + 1][0]].isspace():
                name = " ".join(w for _s, _e, w in words[i + 1 : i + 1 + run]).lower()
                if name not in KNOWN_PLACES and not (lower == "bà" and name.startswith("rịa")):
                    add(start, words[i + run][1], "honorific_name")
                    continue
        if word in _SURNAME_SET:
            run = _capitalised_run(text, words, i, 4)
            if run < 2 or _after_place_word(words, i):
                continue
            name = " ".join(w for _s, _e, w in words[i : i + run]).lower()
            if any(name.startswith(place) for place in KNOWN_PLACES):
                continue
            add(start, words[i + run - 1][1], "full_name")
    for match in _PHONE.finditer(text):
        add(match.start(), match.end(), "phone")
    for match in _ID_NUMBER.finditer(text):
        if _MONEY_AFTER.match(text, match.end()):
            continue
        add(match.start(), match.end(), "id_number")
    found.sort()
    return [{"kind": kind, "text": snippet} for _start, kind, snippet in found]


FLAG_LABELS = {
    "honorific_name": _("A person named after ông/bà/anh/chị…"),
    "full_name": _("A full name with a common surname"),
    "phone": _("A phone number"),
    "id_number": _("An identity card number"),
}
