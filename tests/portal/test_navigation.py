"""The portal header: the menu for each kind of visitor, the language links, and the way from
"Hồ sơ của tôi" to "Tài liệu của tôi"."""

from __future__ import annotations

import pytest

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def _header(page) -> str:
    text = page.content.decode()
    return text[text.index('<header class="site">') : text.index("</header>")]


def test_anonymous_visitors_see_sign_in_not_my_pages(client):
    header = _header(client.get("/tra-cuu/"))
    assert 'href="/tai-khoan/dang-nhap/"' in header and "Công dân đăng nhập" in header
    assert "/ho-so-cua-toi/" not in header and "/tai-lieu-cua-toi/" not in header


def test_a_signed_in_citizen_gets_my_dossiers_and_my_documents(client, an):
    client.get("/tra-cuu/")  # the anonymous menu made first must not be served to them
    client.force_login(an)
    header = _header(client.get("/tra-cuu/"))
    assert '<a href="/ho-so-cua-toi/">Hồ sơ của tôi</a>' in header
    assert '<a href="/tai-lieu-cua-toi/">Tài liệu của tôi</a>' in header
    assert 'href="/tai-khoan/ho-so-ca-nhan/"' in header and "Công dân đăng nhập" not in header
    english = _header(client.get("/en/tra-cuu/"))
    assert 'href="/en/ho-so-cua-toi/"' in english and 'href="/en/tai-lieu-cua-toi/"' in english
    client.logout()
    assert "/ho-so-cua-toi/" not in _header(client.get("/tra-cuu/"))


def test_staff_do_not_get_the_citizen_menu(client):
    officer = User.objects.create_user("canbo", password="x", is_staff=True)
    client.force_login(officer)
    header = _header(client.get("/tra-cuu/"))
    assert "/ho-so-cua-toi/" not in header and 'href="/can-bo/dang-nhap/"' in header


def test_my_dossiers_links_to_my_documents(client, an):
    client.force_login(an)
    page = client.get("/ho-so-cua-toi/").content.decode()
    assert 'id="to-store"' in page and 'href="/tai-lieu-cua-toi/"' in page


def test_language_links_point_at_the_same_page(client):
    vi = _header(client.get("/tra-cuu/?ma=000.21.26.H29-260302-0001"))
    assert 'href="/en/tra-cuu/?ma=000.21.26.H29-260302-0001" hreflang="en" lang="en"' in vi
    assert '<span aria-current="true" lang="vi">Tiếng Việt</span>' in vi
    en = _header(client.get("/en/thu-tuc-hanh-chinh/"))
    assert 'href="/thu-tuc-hanh-chinh/" hreflang="vi" lang="vi"' in en
    assert 'href="/en/tra-cuu/"' in en  # the menu itself is in English
    assert "csrfmiddlewaretoken" not in vi  # no form in the header: nothing per visitor
