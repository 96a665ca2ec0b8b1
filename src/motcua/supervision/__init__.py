"""Supervision: aggregates from dossier events, the period report, the Decision 766 index, public statistics."""  # noqa: E501
