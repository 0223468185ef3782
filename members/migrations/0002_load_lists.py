"""The reference lists of the member form: ethnic groups, religions, education levels.

Ethnic groups: the 54 groups of the official list (Danh mục các dân tộc Việt Nam,
Tổng cục Thống kê), with its two-digit codes and order. Religions: those recognized in
Vietnam, plus "Không". An administrator edits these lists; this only loads them once.
"""

from django.db import migrations

ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "H'Mông", "Dao", "Gia Rai",
    "Ngái", "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Raglai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Giẻ Triêng", "Mạ", "Khơ Mú", "Co",
    "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cờ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]

RELIGIONS = [
    ("khong", "Không"),
    ("phat-giao", "Phật giáo"),
    ("cong-giao", "Công giáo"),
    ("tin-lanh", "Tin lành"),
    ("cao-dai", "Cao Đài"),
    ("hoa-hao", "Phật giáo Hòa Hảo"),
    ("hoi-giao", "Hồi giáo"),
    ("baha-i", "Baha'i"),
    ("tinh-do-cu-sy", "Tịnh độ Cư sỹ Phật hội Việt Nam"),
    ("tu-an-hieu-nghia", "Tứ Ân Hiếu Nghĩa"),
    ("buu-son-ky-huong", "Bửu Sơn Kỳ Hương"),
    ("minh-su-dao", "Minh Sư đạo"),
    ("minh-ly-dao", "Minh Lý đạo - Tam Tông Miếu"),
    ("ba-la-mon", "Bà La Môn"),
    ("mac-mon", "Mặc Môn"),
    ("hieu-nghia-ta-lon", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("co-doc-phuc-lam", "Cơ Đốc Phục Lâm"),
    ("khac", "Tôn giáo khác"),
]

GENERAL_EDUCATION = [
    ("12-12", "12/12"),
    ("11-12", "11/12"),
    ("10-12", "10/12"),
    ("9-12", "9/12"),
    ("8-12", "8/12"),
    ("7-12", "7/12"),
    ("6-12", "6/12"),
    ("5-12", "5/12"),
    ("10-10", "10/10"),
    ("9-10", "9/10"),
    ("8-10", "8/10"),
    ("7-10", "7/10"),
]

PROFESSIONAL_EDUCATION = [
    ("chua-dao-tao", "Chưa qua đào tạo"),
    ("so-cap", "Sơ cấp"),
    ("trung-cap", "Trung cấp"),
    ("cao-dang", "Cao đẳng"),
    ("dai-hoc", "Đại học"),
    ("thac-si", "Thạc sĩ"),
    ("tien-si", "Tiến sĩ"),
]

POLITICAL_THEORY = [
    ("so-cap", "Sơ cấp"),
    ("trung-cap", "Trung cấp"),
    ("cao-cap", "Cao cấp"),
    ("cu-nhan", "Cử nhân"),
]


def load(apps, schema_editor):
    lists = {
        "Ethnicity": [(f"{i:02d}", name) for i, name in enumerate(ETHNICITIES, start=1)],
        "Religion": RELIGIONS,
        "GeneralEducation": GENERAL_EDUCATION,
        "ProfessionalEducation": PROFESSIONAL_EDUCATION,
        "PoliticalTheory": POLITICAL_THEORY,
    }
    for model_name, rows in lists.items():
        model = apps.get_model("members", model_name)
        model.objects.bulk_create(
            [model(code=code, name=name, sort_order=i) for i, (code, name) in enumerate(rows, start=1)],
            ignore_conflicts=True,
        )


def unload(apps, schema_editor):
    for model_name in ("Ethnicity", "Religion", "GeneralEducation", "ProfessionalEducation", "PoliticalTheory"):
        apps.get_model("members", model_name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
