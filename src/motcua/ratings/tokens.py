"""The secret in a rating link (mã đánh giá) and in a paired counter tablet's cookie.

A rating link is ``/danh-gia/<code>/?t=<token>``. The token is an HMAC of the dossier under
the site's ``SECRET_KEY`` (no personal data inside), so :mod:`motcua.notify.rendering` can
compute it for the invitation message without a query, in the same way it computes the
tracking token. Only its SHA-256 is stored (``RatingToken.token_hash``), with the expiry
and the moment it was used: the stored row is what makes a token valid, single-use and
expiring; the HMAC makes it unguessable.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import quote

from django.utils.crypto import salted_hmac

_SALT = "motcua.ratings.link"
#: Characters of a link token: 16 bytes (128 bits), URL-safe base64 without padding.
TOKEN_LENGTH = 22
#: Query parameter of the rating link that carries the token, and the one naming its source.
TOKEN_PARAM = "t"
SOURCE_PARAM = "nguon"
#: ``?nguon=tra-cuu``: the link shown on the public tracking page.
SOURCE_TRACKING = "tra-cuu"
#: Cookie of a device paired as a counter's rating tablet.
TABLET_COOKIE = "motcua_tablet"


def rating_token(dossier) -> str:
    """The rating-link token of ``dossier`` (the same value every time it is computed)."""
    message = f"{dossier.pk}:{dossier.display_code}"
    digest = salted_hmac(_SALT, message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    """What is stored of a token or a tablet key: its SHA-256, in hex."""
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def rating_path(dossier, *, from_tracking: bool = False) -> str:
    """The public path of the rating page of ``dossier`` (relative, language-neutral)."""
    path = f"/danh-gia/{quote(dossier.display_code)}/?{TOKEN_PARAM}={rating_token(dossier)}"
    return f"{path}&{SOURCE_PARAM}={SOURCE_TRACKING}" if from_tracking else path


def new_tablet_key() -> str:
    """A random key for a paired tablet (kept only in the device's cookie; hashed here)."""
    return secrets.token_urlsafe(32)
