from django.urls import reverse


def test_the_home_page_greets_the_user_and_links_their_organization(client, cast):
    client.force_login(cast.base)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trần Văn Bình" in page
    assert reverse("orgs:organization_detail", args=[cast.tree.finance.code]) in page


def test_a_user_without_assignment_is_told_whom_to_ask(client, db, django_user_model):
    user = django_user_model.objects.create_user(username="moi", password="x-Very-long-2026")
    client.force_login(user)
    assert "Hãy liên hệ quản trị hệ thống" in client.get(reverse("home")).content.decode()
