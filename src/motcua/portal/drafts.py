"""Drafts of online dossiers (bản nháp): saved on the server, tied to the citizen's account.

Every post of the submission form saves the draft — what was typed and every file that
passed the checks — so nothing is lost on an error elsewhere in the form, on a refresh or
when the citizen comes back later from "My dossiers". Files are checked once, when attached
(:mod:`motcua.documents.validation`), stored at once (:mod:`motcua.documents.storage`) and,
on submission, handed to the new dossier in the same transaction that creates it; the draft
then disappears. The draft's key is the form's idempotency key: sending the same draft twice
makes one dossier. Drafts nobody touched for ``PORTAL_DRAFT_RETENTION_DAYS`` days are purged
with their files (:func:`purge`, ``motcua purge-drafts``, run daily from cron).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Sum
from django.utils import timezone

from motcua.documents import storage
from motcua.documents.models import StoredFile
from motcua.documents.validation import CheckedUpload
from motcua.portal.models import Draft, DraftFile

#: The form fields a draft keeps (the key is the draft's own); ``store``: the documents picked
#: from the citizen's data store, by component.
FIELDS = ("on_behalf", "offering", "case", "delivery", "applicant", "store")


def dossier_key(user, key: str) -> str:
    """The dossier's idempotency key for a draft key: namespaced by account, so that a key
    seen by someone else can never return (or reveal) another citizen's dossier."""
    return f"portal-{user.pk}-{key}"[:80]


def find(user, key: str) -> Draft | None:
    if not key:
        return None
    return Draft.objects.filter(user=user, key=key).select_related("version").first()


def lock_or_start(user, version, key: str) -> Draft:
    """The user's draft with this key, locked for the request; made when missing.

    Call inside a transaction. A key already used by another account's draft is replaced
    by a fresh one (the form's key is only a suggestion from the browser)."""
    draft = Draft.objects.select_for_update().filter(user=user, key=key).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return Draft.objects.create(user=user, version=version, key=key)
    except IntegrityError:
        draft = Draft.objects.select_for_update().filter(user=user, key=key).first()
        if draft is not None:  # made by a concurrent request of the same user
            return draft
        import uuid

        return Draft.objects.create(user=user, version=version, key=str(uuid.uuid4()))


def save_fields(draft: Draft, form: dict) -> None:
    draft.data = {f: form.get(f) for f in FIELDS}
    draft.save(update_fields=["data", "updated_at"])


def form_of(draft: Draft) -> dict:
    """The submission form's values from a draft."""
    data = dict(draft.data or {})
    applicant = data.get("applicant") or {}
    return {
        "key": draft.key,
        "on_behalf": bool(data.get("on_behalf")),
        "offering": data.get("offering") or "",
        "case": data.get("case") or "",
        "delivery": data.get("delivery") or "",
        "applicant": applicant,
        "store": {str(k): str(v) for k, v in (data.get("store") or {}).items()},
    }


def files_by_spec(draft: Draft | None) -> dict[int, DraftFile]:
    if draft is None or draft.pk is None:
        return {}
    rows = draft.files.select_related("stored_file")
    return {row.spec_id: row for row in rows}


def total_size(draft: Draft, *, except_specs=()) -> int:
    """Bytes already attached to the draft (for the per-dossier limit)."""
    rows = StoredFile.objects.filter(
        pk__in=draft.files.exclude(spec_id__in=list(except_specs)).values("stored_file_id")
    )
    return rows.aggregate(t=Sum("size"))["t"] or 0


def attach(draft: Draft, spec, checked: CheckedUpload, name: str, user, owner: str) -> DraftFile:
    """Store a checked file for ``spec``, replacing the one attached before."""
    detach(draft, spec.pk)
    stored = storage.store_bytes(
        checked.data,
        original_name=name,
        content_type=checked.content_type,
        pages=checked.pages,
        owner_identifier=owner,
        uploaded_by=user,
    )
    return DraftFile.objects.create(draft=draft, spec=spec, stored_file=stored)


def detach(draft: Draft, spec_id: int) -> None:
    """Remove the file attached to ``spec_id`` (the blob goes once nobody else uses it)."""
    row = draft.files.select_related("stored_file").filter(spec_id=spec_id).first()
    if row is None:
        return
    stored = row.stored_file
    row.delete()
    storage.delete_stored_file(stored)


def hand_over(draft: Draft, dossier, spec_ids) -> None:
    """On submission: the chosen case's files now belong to the dossier (and its
    applicant); files of other cases and the draft itself are deleted."""
    rows = list(draft.files.select_related("stored_file"))
    kept = [r.stored_file_id for r in rows if r.spec_id in set(spec_ids)]
    StoredFile.objects.filter(pk__in=kept).update(
        dossier=dossier, owner_identifier=dossier.applicant_id_number
    )
    others = [r.stored_file for r in rows if r.spec_id not in set(spec_ids)]
    draft.delete()  # the DraftFile rows go with it
    for stored in others:
        storage.delete_stored_file(stored)


def delete(draft: Draft) -> None:
    """The citizen deletes a draft: its files go too."""
    with transaction.atomic():
        files = [r.stored_file for r in draft.files.select_related("stored_file")]
        draft.delete()
        for stored in files:
            storage.delete_stored_file(stored)


def of_user(user, version=None) -> list[Draft]:
    rows = Draft.objects.filter(user=user).select_related("version__procedure")
    if version is not None:
        rows = rows.filter(version=version)
    return list(rows.order_by("-updated_at", "-pk"))


# --- purge (motcua purge-drafts) ------------------------------------------------------------


@dataclass
class PurgeSummary:
    cutoff: dt.datetime
    drafts: int = 0  # drafts deleted
    files: int = 0  # their file rows deleted (each blob once no other row uses it)
    kept: int = 0  # file rows still used by a dossier or another row, left in place


def purge(older_than_days: int, *, now: dt.datetime | None = None, dry_run=False) -> PurgeSummary:
    """Delete the drafts untouched for ``older_than_days`` days and their files.

    Each draft is locked and checked again in its own transaction, so a draft saved or
    submitted meanwhile is left alone. Files go through :func:`storage.delete_stored_file`
    after the draft's transaction: a row still used elsewhere (by a dossier, a digitised or
    issued document, another draft) is kept, and a blob is deleted only once no row names
    it (the same bytes are stored once and shared)."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    summary = PurgeSummary(cutoff)
    stale = Draft.objects.filter(updated_at__lt=cutoff)
    if dry_run:
        summary.drafts = stale.count()
        summary.files = DraftFile.objects.filter(draft__in=stale).count()
        return summary
    for pk in list(stale.order_by("pk").values_list("pk", flat=True)):
        files = _delete_draft(pk, cutoff)
        if files is None:
            continue
        summary.drafts += 1
        for stored in files:
            if _delete_file(stored):
                summary.files += 1
            else:
                summary.kept += 1
    return summary


def _delete_draft(pk: int, cutoff: dt.datetime) -> list[StoredFile] | None:
    """Delete one stale draft (None if it was touched, submitted or is being saved now)."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, updated_at__lt=cutoff)
            .first()
        )
        if draft is None:
            return None
        files = [row.stored_file for row in draft.files.select_related("stored_file")]
        draft.delete()  # the DraftFile rows go with it
    return files


def _used_elsewhere(stored: StoredFile) -> bool:
    """Whether a dossier or any row of any model (another draft, a digitised or issued
    document, a register print…) still points at ``stored``."""
    if stored.dossier_id is not None:
        return True
    return any(
        rel.related_model._base_manager.filter(**{rel.field.name: stored.pk}).exists()
        for rel in StoredFile._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    )


def _delete_file(stored: StoredFile) -> bool:
    """Delete a purged draft's file row unless something else still uses it."""
    if _used_elsewhere(stored):
        return False
    try:
        storage.delete_stored_file(stored)
    except ProtectedError:  # a digitised or issued document points at this very row
        return False
    return True
