"""A member's page and the printable profile (2-HSĐV) in Word and PDF."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from members.models import Member
from members.services import member_transfer_within, member_update
from members.tests._people import add_people


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def url(name, member):
    return reverse(f"members:{name}", args=[member.pk])


def test_the_page_shows_the_profile_derived_values_and_history(client, cast, people):
    member_update(member=people.duc, hometown="Xã Tân Dĩnh, huyện Lạng Giang", user=cast.base)
    client.force_login(cast.upper)
    response = client.get(url("member_detail", people.duc))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Văn Đức" in page
    assert "Xã Tân Dĩnh, huyện Lạng Giang" in page
    assert response.context["age"] == people.duc.age()
    assert response.context["party_age"] == people.duc.party_age()
    assert response.context["next_badge"] == people.duc.next_badge()
    assert "Chi bộ Văn phòng" in page
    # The change log names who changed what, before and after.
    changes = [(c.label, c.old, c.new) for h in response.context["history"] for c in h.changes]
    assert ("Quê quán", "", "Xã Tân Dĩnh, huyện Lạng Giang") in changes


def test_the_timeline_comes_from_the_selector(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(url("member_detail", people.duc))
    timeline = response.context["timeline"]
    assert [e.kind for e in timeline].count("status") == 2  # probationary, then full
    assert any("Chi bộ Văn phòng" in e.text for e in timeline)


def test_an_overdue_transfer_is_marked(client, cast, people):
    cause = dt.date.today() - dt.timedelta(days=200)
    member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=cause, user=cast.base)
    client.force_login(cast.upper)
    response = client.get(url("member_detail", people.duc))
    [row] = response.context["transfers"]
    assert row.overdue
    assert row.deadline == row.transfer.start_deadline
    assert 'data-testid="overdue"' in response.content.decode()
    assert reverse("members:transfer_complete", args=[people.duc.pk, row.transfer.pk]) in response.content.decode()


def test_writers_see_the_action_buttons_and_readers_do_not(client, cast, people):
    client.force_login(cast.base)
    page = client.get(url("member_detail", people.duc)).content.decode()
    assert url("member_status_change", people.duc) in page
    assert url("member_transfer_within", people.duc) in page
    # A cell secretary can pick no other cell: the move within the committee is not offered.
    client.force_login(cast.cell)
    page = client.get(url("member_detail", people.duc)).content.decode()
    assert url("member_status_change", people.duc) in page
    assert url("member_transfer_within", people.duc) not in page
    client.force_login(cast.viewer)
    response = client.get(url("member_detail", people.duc))
    assert response.status_code == 200
    assert response.context["buttons"] == []


def test_an_outsider_gets_404(client, cast, people):
    client.force_login(cast.outsider)
    assert client.get(url("member_detail", people.duc)).status_code == 404
    assert client.get(url("member_profile_docx", people.duc)).status_code == 404
    assert client.get(url("member_profile_pdf", people.duc)).status_code == 404


def test_a_member_sees_their_own_page_and_not_a_colleagues(client, cast, people):
    Member.objects.filter(pk=people.an.pk).update(user=cast.member)
    client.force_login(cast.member)
    assert client.get(url("member_detail", people.an)).status_code == 200
    assert client.get(url("member_detail", people.duc)).status_code == 404


def test_the_word_profile_opens_and_holds_the_name(client, cast, people):
    member_update(member=people.duc, profile_number="LL-123", user=cast.base)
    client.force_login(cast.cell)
    response = client.get(url("member_profile_docx", people.duc))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "PHIẾU ĐẢNG VIÊN" in text
    assert "LL-123" in text
    assert "Nguyễn Văn Đức" in cells
    assert "Ngày vào Đảng" in cells
    assert "15/03/2010" in cells
    assert doc.styles["Normal"].font.name == "Times New Roman"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_profile_keeps_the_vietnamese_name_whole(client, cast, people):
    client.force_login(cast.cell)
    response = client.get(url("member_profile_pdf", people.duc))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Nguyễn Văn Đức" in text
    assert "PHIẾU ĐẢNG VIÊN" in text
    assert "Quê quán" in text


def test_the_page_shows_the_professional_education_as_written_beside_its_level(client, cast, people):
    from members.models import ProfessionalEducation

    level = ProfessionalEducation.objects.get(name="Đại học")
    # Written by the import, which keeps the text a list is coarser than.
    Member.objects.filter(pk=people.duc.pk).update(professional_education=level, professional_education_text="Cử nhân Kinh tế")
    client.force_login(cast.upper)
    page = client.get(url("member_detail", people.duc)).content.decode()
    assert 'data-testid="professional-education-text">(Cử nhân Kinh tế)</span>' in page
    assert "Đại học" in page
