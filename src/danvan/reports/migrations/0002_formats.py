"""The document formats every installation starts with (editable in the admin).

Party bodies: Central Party Office guidance 36-HD/VPTW (3 April 2018) on the format of the
Party's documents — "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined top right; the superior
Party organization and the issuing body top left with a "*" under it; number
"Số 12-BC/BDVTU"; place and date in italics; margins top and bottom 20–25 mm, left 30–35 mm,
right 15–20 mm; Times New Roman 13–14 pt.
State bodies: Decree 30/2020/NĐ-CP, Appendix I — issuing body top left; "CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM" with "Độc lập - Tự do - Hạnh phúc" underlined top right; "Số: 12/BC-UBND";
the same margins and font. The Fatherland Front and the mass organizations use the national
heading too.
"""

from django.db import migrations

FORMATS = [
    {
        "document_format": "party",
        "citation": "Hướng dẫn 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng",
        "national_line": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "motto_line": "",
        "underline_national": True,
        "show_superior": True,
        "body_mark": "*",
        "number_pattern": "Số {n}-BC/{abbr}",
        "signature_pattern": "T/M {body}",
        "signer_title": "TRƯỞNG BAN",
        "recipients": "- Thường trực cấp ủy (để báo cáo),\n- Các cơ quan, đơn vị liên quan,\n- Lưu Văn phòng.",
        "header_font_size": 14,
    },
    {
        "document_format": "state",
        "citation": "Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, Phụ lục I",
        "national_line": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto_line": "Độc lập - Tự do - Hạnh phúc",
        "underline_national": False,
        "show_superior": False,
        "body_mark": "",
        "number_pattern": "Số: {n}/BC-{abbr}",
        "signature_pattern": "TM. {body}",
        "signer_title": "CHỦ TỊCH",
        "recipients": "- Như trên;\n- Các cơ quan, đơn vị liên quan;\n- Lưu: VT.",
        "header_font_size": 13,
    },
    {
        "document_format": "other",
        "citation": "Thể thức văn bản của Mặt trận Tổ quốc và các đoàn thể (theo Nghị định 30/2020/NĐ-CP)",
        "national_line": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto_line": "Độc lập - Tự do - Hạnh phúc",
        "underline_national": False,
        "show_superior": True,
        "body_mark": "",
        "number_pattern": "Số: {n}/BC-{abbr}",
        "signature_pattern": "TM. {body}",
        "signer_title": "CHỦ TỊCH",
        "recipients": "- Như trên;\n- Lưu: VT.",
        "header_font_size": 13,
    },
]


def load(apps, schema_editor):
    FormatSpec = apps.get_model("reports", "FormatSpec")
    for spec in FORMATS:
        values = dict(spec)
        FormatSpec.objects.update_or_create(
            document_format=values.pop("document_format"), defaults=values
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
