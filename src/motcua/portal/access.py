"""Which stored files a citizen may download (rules added to :mod:`motcua.documents.access`).

Files leave only through the permission-checked download view; a citizen gets the files of
their own dossiers (what they sent and the results issued to them) and the files attached to
their own drafts. Anyone else — another citizen, or a visitor not signed in — gets "not
found" from that view.
"""

from __future__ import annotations

from motcua.documents.access import download_rule, linked_dossiers
from motcua.documents.models import StoredFile
from motcua.dossiers.lifecycle import is_applicant


@download_rule
def applicant_may_download(user, stored_file: StoredFile) -> bool:
    """The applicant (or the representative who filed) of a dossier the file belongs to."""
    return any(is_applicant(user, dossier) for dossier in linked_dossiers(stored_file))


@download_rule
def draft_owner_may_download(user, stored_file: StoredFile) -> bool:
    """A file attached to one of the user's own drafts."""
    from motcua.portal.models import DraftFile

    if stored_file.dossier_id:
        return False
    return DraftFile.objects.filter(stored_file=stored_file, draft__user_id=user.pk).exists()
