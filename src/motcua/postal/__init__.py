"""Postal channel (dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg): the handovers of
dossiers from the post to the one-stop unit and of results from it to the post."""
