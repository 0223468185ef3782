"""The English catalog and our Vietnamese catalog for the third-party apps.

Vietnamese is the source language: every msgid is Vietnamese, locale/en gives the English,
and locale/vi only carries the strings of Django's paginator, django-filter and simple-history,
which ship no Vietnamese. The compiled .mo files are committed, so these tests need no
gettext tools.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from members.tests._people import add_people

LOCALE = Path(settings.BASE_DIR) / "locale"
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read_po(path: Path) -> list[dict[str, str | list[str]]]:
    """The entries of a .po file: fields joined across continuation lines, plus its flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict[str, str | list[str]] = {"flags": []}
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif match := FIELD.match(line):
                current = match.group(1)
                entry[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                entry[current] += ast.literal_eval(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def use_english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def english_catalog() -> list[dict]:
    return [entry for entry in read_po(LOCALE / "en/LC_MESSAGES/django.po") if entry["msgid"]]


def test_the_english_catalog_leaves_nothing_untranslated(english_catalog):
    assert len(english_catalog) > 500
    untranslated = [entry["msgid"] for entry in english_catalog if not all(translations(entry))]
    assert untranslated == []


def test_the_english_catalog_has_no_fuzzy_entries(english_catalog):
    fuzzy = [entry["msgid"] for entry in english_catalog if "fuzzy" in entry["flags"]]
    assert fuzzy == []


def test_every_english_translation_keeps_the_placeholders_of_its_msgid(english_catalog):
    wrong = [
        (entry["msgid"], text)
        for entry in english_catalog
        for text in translations(entry)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry["msgid"]))
    ]
    assert wrong == []


def test_the_english_catalog_is_english(english_catalog):
    # A Vietnamese letter in a msgstr means a string was copied instead of translated;
    # the document codes (2-HSĐV, 7-HSĐV, 294-QĐ/TW) and a sheet name in the template are kept.
    kept = re.compile(r"\d-HSĐV|QĐ/TW|«Hướng dẫn»|QĐ")
    vietnamese = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
    left = [text for entry in english_catalog for text in translations(entry) if vietnamese.search(kept.sub("", text))]
    assert left == []


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_committed_mo_file_matches_its_po_file(language):
    # Read with the stdlib: an install needs no gettext tools, so the .mo must be current.
    directory = LOCALE / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in read_po(directory / "django.po"):
        if not entry["msgid"] or not all(translations(entry)) or "fuzzy" in entry["flags"]:
            continue
        if "msgid_plural" in entry:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            expected = entry["msgstr[0]"]
        else:
            got, expected = compiled.gettext(entry["msgid"]), entry["msgstr"]
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == [], "run compilemessages after editing the .po"


def test_the_login_page_is_in_english_when_the_user_chose_english(client, db):
    use_english(client)
    response = client.get(reverse("accounts:login"))
    page = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert "Password" in page
    assert "Log in" in page
    assert "Mật khẩu" not in page


def test_the_login_page_is_in_vietnamese_by_default(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Mật khẩu" in page
    assert "Password" not in page


def test_the_organization_tree_shows_the_english_navigation(client, cast):
    client.force_login(cast.upper)
    use_english(client)
    page = client.get(reverse("orgs:organization_tree")).content.decode()
    assert "Party organization tree" in page
    assert ">Party organization</a>" in page
    assert ">Party member</a>" in page
    assert "Log out" in page
    assert "Cây tổ chức đảng" not in page


def test_the_member_list_paginates_in_vietnamese_by_default(client, cast):
    add_people(cast.tree)
    client.force_login(cast.upper)
    page = client.get(reverse("members:member_list"), {"per_page": 2}).content.decode()
    assert "Đang xem 1–2 trên 5" in page
    assert "Sau ›" in page


def test_the_member_list_paginates_in_english_when_chosen(client, cast):
    add_people(cast.tree)
    client.force_login(cast.upper)
    use_english(client)
    page = client.get(reverse("members:member_list"), {"per_page": 2}).content.decode()
    assert "Showing 1–2 of 5" in page
    assert "Next ›" in page
    assert "Party member list" in page
    assert "Đang xem" not in page


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("%s (descending)", "%s (giảm dần)"),  # django-filter
        ("Unknown", "Chưa rõ"),  # django-filter
        ("Created", "Tạo mới"),  # simple-history
        ("Deleted", "Xóa"),  # simple-history
        ("History", "Lịch sử"),  # simple-history
    ],
)
def test_the_third_party_apps_speak_vietnamese(msgid, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(msgid) == vietnamese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_the_history_types_of_simple_history_read_in_vietnamese(cast):
    record = cast.tree.office_cell.history.first()
    with translation.override("vi"):
        assert str(record.get_history_type_display()) in {"Tạo mới", "Thay đổi", "Xóa"}
