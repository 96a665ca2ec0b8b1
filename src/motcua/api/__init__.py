"""The JSON API (django-ninja): one thin router per domain, OpenAPI at /api/docs."""
