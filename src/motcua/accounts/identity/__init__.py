"""Identity providers (nhà cung cấp định danh): VNeID-style OpenID Connect and a demo one.

See :mod:`motcua.accounts.identity.base` for the plugin interface and docs/identity.md.
"""
