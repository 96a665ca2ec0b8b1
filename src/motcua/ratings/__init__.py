"""Satisfaction ratings (đánh giá mức độ hài lòng) per dossier, at the counter and online."""
