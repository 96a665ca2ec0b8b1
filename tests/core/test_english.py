"""The English interface (/en/…) really is English, and the English catalogue is complete.

Source strings are Vietnamese; English comes from ``src/motcua/locale/en/LC_MESSAGES``. When
you add or change a marked string (gettext, {% translate %}, {% blocktranslate %}), the catalogue
tests below fail until you update the catalogue:

    cd src/motcua
    ../../.venv/bin/motcua makemessages -l en      # adds the new msgids to django.po
    # translate every new or "#, fuzzy" entry in django.po, then remove the fuzzy flag
    ../../.venv/bin/motcua compilemessages -l en   # rebuilds django.mo

Commit both django.po and django.mo.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from motcua.accounts import services
from tests.accounts.conftest import CLIENT, PASSWORD, signup_data
from tests.portal.data import build_catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
HOW_TO_FIX = (
    "run `cd src/motcua && ../../.venv/bin/motcua makemessages -l en`, translate the new "
    "entries in locale/en/LC_MESSAGES/django.po (no empty msgstr, no '#, fuzzy'), then "
    "`../../.venv/bin/motcua compilemessages -l en`"
)


# --- reading a .po file (standard library only) ----------------------------------------------


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[dict]:
    """Active entries (obsolete ``#~`` ones skipped), header excluded.

    Each entry: ``msgid``, ``plural`` (or None), ``msgstr`` ({None: str} or {0: str, 1: str}),
    ``flags`` (set).
    """
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            keyword, index, value = match.groups()
            if keyword == "msgstr":
                field = ("msgstr", int(index) if index is not None else None)
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                field = ("plural" if keyword == "msgid_plural" else keyword, None)
                entry[field[0]] = _unquote(value)
        elif line.startswith('"') and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
    return [e for e in entries if e["msgid"] != ""]


def _problems(entries: list[dict]) -> list[str]:
    """Untranslated or fuzzy entries (msgfmt leaves fuzzy ones out of django.mo)."""
    bad = []
    for e in entries:
        if "fuzzy" in e["flags"]:
            bad.append(f"fuzzy: {e['msgid']!r}")
        elif not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values()):
            bad.append(f"untranslated: {e['msgid']!r}")
        elif e["plural"] is not None and sorted(e["msgstr"]) != [0, 1]:
            bad.append(f"needs both plural forms: {e['msgid']!r}")
    return bad


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|%%|\{\w*\}")


# --- the catalogue ----------------------------------------------------------------------------


def test_po_has_no_untranslated_or_fuzzy_entries():
    """Every msgid in django.po has an English msgstr (both forms for plurals), none fuzzy."""
    entries = read_po(PO)
    assert len(entries) > 1000
    bad = _problems(entries)
    assert not bad, f"{len(bad)} entries need translating; {HOW_TO_FIX}:\n" + "\n".join(bad)


def test_translations_keep_placeholders():
    """%(name)s, %s and {name} placeholders survive translation (or formatting would fail)."""
    bad = []
    for e in read_po(PO):
        sources = [e["msgid"]] if e["plural"] is None else [e["msgid"], e["plural"]]
        for index, text in e["msgstr"].items():
            source = sources[min(index or 0, len(sources) - 1)]
            if text and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                bad.append(f"{source!r} -> {text!r}")
    assert not bad, "placeholders changed:\n" + "\n".join(bad)


def test_compiled_catalogue_is_not_stale():
    """django.mo matches django.po: with English active, gettext returns each msgstr.

    Fails when django.po was edited but compilemessages was not run (or django.mo is missing).
    """
    assert MO.exists(), f"{MO} is missing; {HOW_TO_FIX}"
    stale = []
    with translation.override("en"):
        for e in read_po(PO):
            context = e.get("msgctxt")
            if e["plural"] is None:
                want = e["msgstr"].get(None, "")
                got = (
                    translation.pgettext(context, e["msgid"])
                    if context
                    else translation.gettext(e["msgid"])
                )
                if want and got != want:
                    stale.append(e["msgid"])
            else:
                for n, index in ((1, 0), (2, 1)):
                    want = e["msgstr"].get(index, "")
                    if want and translation.ngettext(e["msgid"], e["plural"], n) != want:
                        stale.append(e["msgid"])
    assert not stale, f"{len(stale)} entries differ in django.mo; {HOW_TO_FIX}:\n" + "\n".join(
        repr(s) for s in stale
    )


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="needs GNU gettext (xgettext, msgmerge) to run makemessages",
)
def test_catalogue_covers_every_marked_string(tmp_path, settings, monkeypatch):
    """makemessages on a copy of the source finds nothing new: every marked string is translated.

    A string marked for translation in the code but missing from django.po (or a catalogue
    entry whose string is gone from the code) fails here.
    """
    tree = tmp_path / "motcua"
    shutil.copytree(SRC, tree, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["en"], verbosity=0)

    fresh = read_po(tree / "locale" / "en" / "LC_MESSAGES" / "django.po")
    bad = _problems(fresh)
    assert not bad, f"strings in the code lack an English translation; {HOW_TO_FIX}:\n" + (
        "\n".join(bad)
    )
    gone = {e["msgid"] for e in read_po(PO)} - {e["msgid"] for e in fresh}
    assert not gone, f"django.po has entries no longer in the code; {HOW_TO_FIX}:\n" + "\n".join(
        repr(s) for s in sorted(gone)
    )


# --- pages --------------------------------------------------------------------------------

PAGES = [
    # (path, English text expected on /en/…, its Vietnamese source expected on /…)
    (
        "/",
        [
            ("Electronic one-stop system", "Hệ thống một cửa điện tử"),
            ("Catalogue of administrative procedures", "Danh mục thủ tục hành chính"),
            ("Track the status of a dossier", "Tra cứu tình trạng hồ sơ"),
        ],
    ),
    (
        "/thu-tuc-hanh-chinh/",
        [
            ("Search administrative procedures", "Tra cứu thủ tục hành chính"),
            ("Procedure name or code", "Tên hoặc mã thủ tục"),
            ("Filter results", "Lọc kết quả"),
            ("All fields", "Tất cả lĩnh vực"),
        ],
    ),
    (
        "/kiosk/",
        [
            ("Search administrative procedures", "Tra cứu thủ tục hành chính"),
            (
                "Type the name of the procedure you are looking for",
                "Nhập tên thủ tục cần tìm",
            ),
            ("Or choose a field", "Hoặc chọn lĩnh vực"),
        ],
    ),
    (
        "/tra-cuu/",
        [
            ("Track the status of a dossier", "Tra cứu tình trạng hồ sơ"),
            (
                "Last 4 digits of the identification number or phone number",
                "4 số cuối số định danh hoặc số điện thoại",
            ),
            ("You do not need to sign in.", "Bạn không cần đăng nhập."),
        ],
    ),
    (
        "/tai-khoan/dang-nhap/",
        [
            ("For citizens and organisations.", "Dành cho công dân, tổ chức."),
            ("Forgot your password?", "Quên mật khẩu?"),
            ("No account yet?", "Chưa có tài khoản?"),
        ],
    ),
    (
        "/can-bo/dang-nhap/",
        [
            ("Staff sign-in", "Cán bộ đăng nhập"),
            (">Username<", ">Tên đăng nhập<"),
            (">Password<", ">Mật khẩu<"),
        ],
    ),
]


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "pairs"), PAGES, ids=[p for p, _ in PAGES])
def test_english_page_is_english(client, path, pairs):
    build_catalogue()
    text = _page(client, "/en" + path)
    assert '<html lang="en">' in text
    for english, vietnamese in pairs:
        assert english in text, f"/en{path}: missing {english!r}"
        assert vietnamese not in text, f"/en{path}: still shows {vietnamese!r}"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "pairs"), PAGES, ids=[p for p, _ in PAGES])
def test_same_page_without_prefix_is_vietnamese(client, path, pairs):
    """The control: the chosen strings really are on the page, in Vietnamese by default."""
    build_catalogue()
    text = _page(client, path)
    assert '<html lang="vi">' in text
    for english, vietnamese in pairs:
        assert vietnamese in text, f"{path}: missing {vietnamese!r}"
        assert english not in text, f"{path}: shows English {english!r}"


ADMIN_MODELS = {
    # English model name: its Vietnamese source
    "Administrative procedure": "Thủ tục hành chính",
    "Dossier component": "Thành phần hồ sơ",
    "Working calendar": "Lịch làm việc",
    "Role assignment": "Phân quyền",
    "Notification template": "Mẫu thông báo",
}


def _admin_model_names(client, prefix: str) -> set[str]:
    text = _page(client, f"{prefix}/quan-tri/")
    return set(re.findall(r'<th scope="row"[^>]*>\s*<a href="[^"]+">([^<]+)</a>', text))


@pytest.mark.django_db
def test_admin_index_shows_translated_model_names(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x-pass-123456")
    client.force_login(root)

    english = _admin_model_names(client, "/en")
    for name, source in ADMIN_MODELS.items():
        assert name in english
        assert source not in english

    vietnamese = _admin_model_names(client, "")
    assert set(ADMIN_MODELS.values()) <= vietnamese


@pytest.mark.django_db
def test_citizen_profile_page_is_english(client):
    user = services.complete_signup(signup_data(), PASSWORD, client=CLIENT, now=timezone.now())
    client.force_login(user)
    text = _page(client, "/en/tai-khoan/ho-so-ca-nhan/")
    for english in ("My profile", "Account type", "Identity not verified", "Save changes"):
        assert english in text
    for vietnamese in ("Hồ sơ cá nhân", "Loại tài khoản", "Chưa xác thực định danh", "Đăng xuất"):
        assert vietnamese not in text
    assert "Sign out" in text
