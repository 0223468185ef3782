from django.urls import reverse


def test_an_english_browser_still_gets_vietnamese_by_default(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Mật khẩu" in response.content.decode()


def test_the_language_the_user_chose_is_kept(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("accounts:login"))
    assert response.headers["Content-Language"] == "en"
